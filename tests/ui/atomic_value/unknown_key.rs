use sharecell::AtomicValue;

#[derive(Clone, Copy, Debug, AtomicValue)]
#[shared(mutex)]
enum Mode {
    On,
    Off,
}

fn main() {}
