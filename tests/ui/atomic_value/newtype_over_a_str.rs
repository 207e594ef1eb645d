use sharecell::AtomicValue;

#[derive(Clone, Copy, Debug, AtomicValue)]
struct Label(&'static str);

fn main() {}
