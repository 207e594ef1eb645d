use sharecell::AtomicValue;

#[derive(Clone, Copy, Debug, AtomicValue)]
struct Size(u32, u32);

fn main() {}
