use sharecell::{LocalFlavor, Once};

fn assert_send<T: Send>(_: &T) {}

fn main() {
    // `u8` is `Send`; the `LocalFlavor` cell still is not.
    let started = Once::<u8, LocalFlavor>::new(Some(1));
    assert_send(&started);
}
