use sharecell::{LocalFlavor, Swap};

fn assert_send<T: Send>(_: &T) {}

fn main() {
    // `u8` is `Send`; the `LocalFlavor` cell still is not (an `Rc` inside).
    let config = Swap::<u8, LocalFlavor>::new(1);
    assert_send(&config);
}
