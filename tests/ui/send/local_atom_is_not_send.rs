use sharecell::{Atom, LocalFlavor};

fn main() {
    let hits = Atom::<u64, LocalFlavor>::new(0);
    std::thread::spawn(move || {
        hits.fetch_add(1);
    });
}
