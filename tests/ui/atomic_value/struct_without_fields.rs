use sharecell::AtomicValue;

#[derive(Clone, Copy, Debug, AtomicValue)]
struct Marker;

fn main() {}
