use sharecell::Shared;

#[derive(Shared)]
enum Light {
    On,
    Off,
}

fn main() {}
