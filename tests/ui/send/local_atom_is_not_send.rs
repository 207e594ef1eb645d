use sharecell::{Atom, Local};

fn main() {
    let hits = Atom::<u64, Local>::new(0);
    std::thread::spawn(move || {
        hits.fetch_add(1);
    });
}
