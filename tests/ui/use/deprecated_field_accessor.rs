#![deny(deprecated)]

use sharecell::{LocalFlavor, Shared};

#[derive(Shared)]
struct Settings {
    #[deprecated(note = "use `level`")]
    verbose: bool,
    level: u8,
}

fn main() {
    let s = SettingsHandle::<LocalFlavor>::new_local(Settings { verbose: false, level: 1 });
    let _ = s.level().get();
    let _ = s.verbose().get();
}
