use sharecell::AtomicValue;

#[derive(Clone, Copy, Debug, AtomicValue)]
enum Shape {
    Point,
    Circle { radius: u32 },
}

fn main() {}
