use serde::{Deserialize, Serialize};
use sharecell::{Shared, SyncFlavor};

#[derive(Shared, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    user_id: u64,
    #[shared(mutex)]
    cart: Vec<String>,
}

fn main() {
    let session = SessionHandle::new_sync(Session {
        user_id: 7,
        cart: vec!["tea".into()],
    });
    let json = serde_json::to_string(&session).unwrap();
    assert_eq!(json, r#"{"userId":7,"cart":["tea"]}"#);

    let back: SessionHandle<SyncFlavor> = serde_json::from_str(&json).unwrap();
    back.cart().lock().push("milk".into());
    println!("{}", serde_json::to_string(&back).unwrap()); // {"userId":7,"cart":["tea","milk"]}
}
