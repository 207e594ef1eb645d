use sharecell::AtomicValue;

#[derive(Clone, Copy, Debug, AtomicValue)]
#[repr(u128)]
enum Huge {
    Small,
    Big = 1 << 100,
}

fn main() {}
