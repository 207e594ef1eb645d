use sharecell::AtomicValue;

#[derive(Clone, Copy, AtomicValue)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
