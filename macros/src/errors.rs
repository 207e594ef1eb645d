//! Collects every mistake in one input so they are all reported at once.

/// The mistakes found so far.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// The combined error, if there was any mistake.
    pub(crate) fn into_error(self) -> Option<syn::Error> {
        self.0
    }
}
