//! Saves (the feature `serde`): serializing a handle, or a lock cell, reads everything it
//! reaches, nested handles included, as one consistent picture.
//!
//! A save is a [`transaction`]: it holds the lock fields of the handle it starts from (read),
//! writes the handle's value into memory ([`Content`]), and every nested handle met on the way
//! joins the queue instead of taking its own locks. The save then holds each queued handle's
//! locks in turn, through the same transaction (waiting in the lock order, trying out of it,
//! restarting when busy), and writes its value too. Only when it holds everything does it
//! release the locks, then write the content out to the real serializer, nested handles in
//! their places. So the picture is one moment of the whole structure (a bank whose accounts
//! move money concurrently always saves the same total), the save never deadlocks against code
//! that follows the lock order, and a restart costs nothing written.
//!
//! A save never panics and never waits for ever: a field it cannot hold (this thread holds a
//! guard in the way; in the `LocalFlavor`, any guard) is an error naming the field. Release
//! builds, which do not know this thread's guards, wait at most `CHECKED_WAIT` (1 s) for a
//! lock in the order before they give up with an error.
//!
//! Nested handles are recognized while the save writes into memory: a handle serialized there
//! writes a marker (a newtype struct named [`HANDLE_TOKEN`]) that the in-memory writer turns
//! into a place for it. A `Serialize` impl that, inside a save, serializes a handle to some
//! other serializer of its own would write that marker there.

mod content;

use core::borrow::Borrow;
use core::cell::RefCell;
use core::marker::PhantomData;
use std::collections::{HashMap, VecDeque};

use serde::ser::{Error as _, Serialize, Serializer};

use self::content::{Content, ContentSerializer, Out};
use crate::field::{HoldStop, Keep, LockField, Mode, Stop};
use crate::handle::Snapshot;
use crate::transaction::{in_transaction, transaction, Restart, Transaction};

/// The name of the newtype struct that marks a nested handle in the in-memory content.
pub(crate) const HANDLE_TOKEN: &str = "\u{0}sharecell::nested-handle";

/// Why writing one source stopped.
enum SaveStop {
    Restart(Restart),
    Error(String),
}

/// What a save reads: a handle, or (at the top) a lock cell.
trait Source {
    /// The handle type's name, for messages.
    fn name(&self) -> &'static str;
    /// Holds what it must through `tx`, keeping the guards in `held`, and writes its value.
    fn write<'t>(
        &'t self,
        tx: &'t Transaction,
        held: &mut Vec<Box<dyn Keep + 't>>,
        human_readable: bool,
    ) -> Result<Content, SaveStop>;
}

/// `value` written into memory.
fn write_content<T: Serialize + ?Sized>(
    value: &T,
    human_readable: bool,
) -> Result<Content, SaveStop> {
    value
        .serialize(ContentSerializer { human_readable })
        .map_err(|error| SaveStop::Error(error.0))
}

/// A handle to save: the handle itself (`H`, queued) or a reference to it (`&H`, the top).
struct HandleSource<P, H> {
    handle: P,
    name: &'static str,
    _handle: PhantomData<fn() -> H>,
}

impl<P: Borrow<H>, H: Snapshot<Data: Serialize>> Source for HandleSource<P, H> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn write<'t>(
        &'t self,
        tx: &'t Transaction,
        held: &mut Vec<Box<dyn Keep + 't>>,
        human_readable: bool,
    ) -> Result<Content, SaveStop> {
        let data = H::__snapshot(self.handle.borrow(), Mode::Save { tx, held }).map_err(
            |stop| match stop {
                Stop::Restart(restart) => SaveStop::Restart(restart),
                Stop::Busy(busy) => SaveStop::Error(format!(
                    "cannot serialize field `{}` of `{}`: {}",
                    busy.field, self.name, busy.error
                )),
            },
        )?;
        write_content(&data, human_readable)
    }
}

/// A lock cell to save (an `RwLock` or `Mutex` serialized on its own).
struct CellSource<'c, L> {
    cell: &'c L,
    what: &'static str,
}

impl<L: LockField<Target: Serialize>> Source for CellSource<'_, L> {
    fn name(&self) -> &'static str {
        self.what
    }

    fn write<'t>(
        &'t self,
        tx: &'t Transaction,
        held: &mut Vec<Box<dyn Keep + 't>>,
        human_readable: bool,
    ) -> Result<Content, SaveStop> {
        let guard = self.cell.hold_in(tx).map_err(|stop| match stop {
            HoldStop::Restart(restart) => SaveStop::Restart(restart),
            HoldStop::Busy(error) => SaveStop::Error(format!(
                "cannot serialize a sharecell {}: {error}",
                self.what
            )),
        })?;
        let content = write_content(L::target(&guard), human_readable)?;
        held.push(Box::new(guard));
        Ok(content)
    }
}

/// The save running on this thread: the nested handles met so far.
struct Queue {
    /// Handles met but not yet written, in the order of their numbers.
    pending: VecDeque<Box<dyn Source>>,
    /// The number of each handle met (by address); the top is number 0.
    numbers: HashMap<usize, usize>,
    /// The name of each number, for messages.
    names: Vec<&'static str>,
}

thread_local! {
    /// The save this thread is writing into memory, if any.
    static SAVING: RefCell<Option<Queue>> = const { RefCell::new(None) };
}

/// A save's queue for one attempt; gone when dropped (also on a restart or a panic).
struct Saving;

impl Saving {
    fn start(top: Option<usize>, name: &'static str) -> Saving {
        let queue = Queue {
            pending: VecDeque::new(),
            numbers: top.into_iter().map(|addr| (addr, 0)).collect(),
            names: vec![name],
        };
        let _ = SAVING.try_with(|saving| *saving.borrow_mut() = Some(queue));
        Saving
    }

    /// The next handle to write, if any.
    fn next() -> Option<Box<dyn Source>> {
        SAVING
            .try_with(|saving| saving.borrow_mut().as_mut()?.pending.pop_front())
            .ok()
            .flatten()
    }

    fn names() -> Vec<&'static str> {
        SAVING
            .try_with(|saving| saving.borrow_mut().take().map(|q| q.names))
            .ok()
            .flatten()
            .unwrap_or_default()
    }
}

impl Drop for Saving {
    fn drop(&mut self) {
        let _ = SAVING.try_with(|saving| saving.borrow_mut().take());
    }
}

/// What a save read: the content of every handle (number 0 is where it started), to write out.
pub(crate) struct Saved {
    contents: Vec<Content>,
    names: Vec<&'static str>,
    /// The handles being written out right now: one met again inside itself is a cycle.
    writing: RefCell<Vec<bool>>,
}

impl Saved {
    /// Writes handle number `n` with `serializer`.
    fn write_handle<S: Serializer>(&self, n: usize, serializer: S) -> Result<S::Ok, S::Error> {
        let name = self.names.get(n).copied().unwrap_or("?");
        let (Some(content), Some(false)) =
            (self.contents.get(n), self.writing.borrow().get(n).copied())
        else {
            return Err(S::Error::custom(format_args!(
                "cannot serialize `{name}`: it contains itself (a cycle of handles). Serialized \
                 data is a tree: mark the link back with `#[serde(skip)]` (a weak handle, for \
                 example) and restore it after loading"
            )));
        };
        self.writing.borrow_mut()[n] = true;
        let result = Out {
            content,
            saved: self,
        }
        .serialize(serializer);
        self.writing.borrow_mut()[n] = false;
        result
    }
}

/// Runs a save from `top` (its address: for a handle, so that a way back to it is a cycle)
/// and writes what it read with `serializer`.
fn save<S: Serializer>(
    top: &dyn Source,
    top_addr: Option<usize>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if in_transaction() {
        return Err(S::Error::custom(format_args!(
            "cannot serialize `{}` inside a transaction's body: a save is a transaction of its \
             own, and transactions do not nest. Serialize after the transaction returns (it \
             can return a snapshot of what to save)",
            top.name()
        )));
    }
    let human_readable = serializer.is_human_readable();
    let saved: Result<Saved, String> = transaction(|tx| {
        let _saving = Saving::start(top_addr, top.name());
        let mut held = Vec::new();
        let mut contents = Vec::new();
        let mut source = top;
        loop {
            match source.write(tx, &mut held, human_readable) {
                Ok(content) => contents.push(content),
                Err(SaveStop::Restart(restart)) => return Err(restart),
                Err(SaveStop::Error(error)) => return Ok(Err(error)),
            }
            match Saving::next() {
                Some(next) => source = &**tx.keep(next),
                None => break,
            }
        }
        let names = Saving::names();
        let writing = RefCell::new(vec![false; contents.len()]);
        Ok(Ok(Saved {
            contents,
            names,
            writing,
        }))
    });
    // Every lock is released: write it out.
    saved.map_err(S::Error::custom)?.write_handle(0, serializer)
}

/// `Serialize` for a handle made by the derive (the derive's impl calls this): the handle
/// written as its data struct, with every handle it reaches, read as one consistent picture.
/// Inside a running save (a handle nested in another), the handle joins that save instead.
///
/// # Errors
///
/// A field that cannot be read without a panic or a wait that could never end, a handle that
/// contains itself, and what the data's own `Serialize` returns.
pub fn serialize_handle<H, S>(
    this: &H,
    name: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    H: Snapshot<Data: Serialize> + 'static,
    S: Serializer,
{
    let addr = H::as_ptr(this).addr();
    let joined = SAVING.try_with(|saving| {
        let mut saving = saving.borrow_mut();
        let queue = saving.as_mut()?;
        let count = queue.names.len();
        let number = *queue.numbers.entry(addr).or_insert(count);
        if number == count {
            queue.names.push(name);
            queue.pending.push_back(Box::new(HandleSource {
                handle: Clone::clone(this),
                name,
                _handle: PhantomData,
            }));
        }
        Some(number)
    });
    match joined {
        Ok(Some(number)) => serializer.serialize_newtype_struct(HANDLE_TOKEN, &(number as u64)),
        Ok(None) => {
            let top = HandleSource::<&H, H> {
                handle: this,
                name,
                _handle: PhantomData,
            };
            save(&top, Some(addr), serializer)
        }
        Err(_) => Err(S::Error::custom(format_args!(
            "cannot serialize `{name}` while this thread's thread-locals are being destroyed: \
             cycles of handles cannot be detected there"
        ))),
    }
}

/// `Serialize` for an `RwLock` or a `Mutex` (`what`, for messages): its value, read as one
/// consistent picture with every handle it reaches. Inside a running save (a cell inside a
/// value being written), the cell is read on its own, without a wait that could never end.
pub(crate) fn serialize_cell<L, S>(
    cell: &L,
    what: &'static str,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    L: LockField<Target: Serialize>,
    S: Serializer,
{
    let saving = SAVING
        .try_with(|saving| saving.borrow().is_some())
        .unwrap_or(true);
    if saving {
        let guard = L::hold_in(cell, &Transaction::lone()).map_err(|stop| match stop {
            HoldStop::Busy(error) => {
                S::Error::custom(format_args!("cannot serialize a sharecell {what}: {error}"))
            }
            HoldStop::Restart(_) => S::Error::custom("sharecell: a lone hold never restarts"),
        })?;
        return L::target(&guard).serialize(serializer);
    }
    save(&CellSource { cell, what }, None, serializer)
}
