use sharecell::Shared;

#[derive(Shared)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
