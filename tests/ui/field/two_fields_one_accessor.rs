use sharecell::Shared;

#[derive(Shared)]
struct Account {
    name: String,
    #[shared(rename = name)]
    nickname: String,
}

fn main() {}
