use sharecell::{LocalFlavor, Shared};

struct Connection;

#[derive(Shared)]
struct Session {
    id: u64,
    conn: Connection,
}

fn main() {
    let s = SessionHandle::<LocalFlavor>::new_local(Session { id: 1, conn: Connection });
    println!("{s:?}");
}
