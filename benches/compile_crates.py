"""Writes the three crates that benches/compile.sh compares, as a workspace in argv[1] that
depends on the sharecell at argv[2]. N (environment, default 100) structs of 10 fields each
(5 atoms, 3 rwlocks, 1 mutex, 1 readonly), the same data structs in every crate:

  derived   #[derive(Shared)] on each struct;
  smallest  the smallest hand-written handles that do the same job: `struct SNHandle(Arc<SNCells>)`
            with `new`, `Clone` and one accessor per field (&AtomicU64, &RwLock<T>, &Mutex<T>, &u64);
  full      hand-written handles with the derive's whole API, for both flavours: `Rc` + `Cell` /
            `RefCell` and `Arc` + atomics / locks, each with `new`, `From`, `Clone`, `Debug`,
            accessors, a weak handle, counts, `ptr_eq`, `try_unwrap`, `into_inner` and `snapshot`;
  one       the same API in one flavour only (`Arc` + atomics / locks).

Every crate also holds, per struct, the same two functions: one that builds a `SyncFlavor` handle and
one that touches every field once through it (the same operations, spelled in each crate's API),
so the generic code is instantiated and compiled as in a program.
"""
import os, sys
N = int(os.environ.get("N", "100"))
root, repo = sys.argv[1], sys.argv[2]
os.makedirs(root, exist_ok=True)
crates = ["derived", "smallest", "full", "one"]
open(f"{root}/Cargo.toml", "w").write('[workspace]\nmembers = ["derived", "smallest", "full", "one"]\nresolver = "2"\n')
for c in crates:
    os.makedirs(f"{root}/{c}/src", exist_ok=True)
    open(f"{root}/{c}/Cargo.toml", "w").write(f'[package]\nname = "{c}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nsharecell = {{ path = "{repo}" }}\n')

def data(i, extra="", mutex="", ro=""):
    return f"""#[derive(Default{extra})]
pub struct S{i} {{
    pub a: u64,
    pub b: i32,
    pub c: bool,
    pub d: f64,
    pub e: usize,
    pub f: String,
    pub g: Vec<u32>,
    pub h: Option<String>,
    {mutex}
    pub i: Vec<String>,
    {ro}
    pub j: u64,
}}
"""
d = ["#![allow(clippy::all)]", "use sharecell::SyncFlavor;"]
for i in range(1, N+1):
    d.append(data(i, ", ::sharecell::Shared", "#[shared(mutex)]", "#[shared(readonly)]"))
    d.append(f"""
pub fn touch_s{i}(h: &S{i}Handle<SyncFlavor>) -> usize {{
    h.a().fetch_add(1);
    h.b().set(2);
    h.c().fetch_not();
    h.d().set(1.5);
    h.e().update(|x| x + 1);
    h.f().write().push('x');
    h.g().write().push(1);
    let n = usize::from(h.h().read().is_some());
    h.i().lock().push(String::new());
    n + *h.j() as usize
}}

pub fn build_s{i}() -> S{i}Handle<SyncFlavor> {{
    S{i}Handle::new_sync(S{i}::default())
}}
""")
open(f"{root}/derived/src/lib.rs", "w").write("\n".join(d))

hdr = """#![allow(clippy::all)]
use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize};
use std::sync::{Arc, Mutex, RwLock};
"""
def cells(i):
    return f"""pub struct S{i}Cells {{
    a: AtomicU64,
    b: AtomicI32,
    c: AtomicBool,
    d: AtomicU64,
    e: AtomicUsize,
    f: RwLock<String>,
    g: RwLock<Vec<u32>>,
    h: RwLock<Option<String>>,
    i: Mutex<Vec<String>>,
    j: u64,
}}
"""
def sync_common(i, name):
    return f"""    pub fn new(s: S{i}) -> Self {{
        Self(Arc::new(S{i}Cells {{
            a: AtomicU64::new(s.a),
            b: AtomicI32::new(s.b),
            c: AtomicBool::new(s.c),
            d: AtomicU64::new(s.d.to_bits()),
            e: AtomicUsize::new(s.e),
            f: RwLock::new(s.f),
            g: RwLock::new(s.g),
            h: RwLock::new(s.h),
            i: Mutex::new(s.i),
            j: s.j,
        }}))
    }}
    pub fn a(&self) -> &AtomicU64 {{ &self.0.a }}
    pub fn b(&self) -> &AtomicI32 {{ &self.0.b }}
    pub fn c(&self) -> &AtomicBool {{ &self.0.c }}
    pub fn d(&self) -> &AtomicU64 {{ &self.0.d }}
    pub fn e(&self) -> &AtomicUsize {{ &self.0.e }}
    pub fn f(&self) -> &RwLock<String> {{ &self.0.f }}
    pub fn g(&self) -> &RwLock<Vec<u32>> {{ &self.0.g }}
    pub fn h(&self) -> &RwLock<Option<String>> {{ &self.0.h }}
    pub fn i(&self) -> &Mutex<Vec<String>> {{ &self.0.i }}
    pub fn j(&self) -> &u64 {{ &self.0.j }}
"""
def touch(i, ty):
    return f"""
pub fn touch_s{i}(h: &{ty}) -> usize {{
    h.a().fetch_add(1, AcqRel);
    h.b().store(2, Release);
    h.c().fetch_xor(true, AcqRel);
    h.d().store(1.5f64.to_bits(), Release);
    let _ = h.e().fetch_update(AcqRel, Acquire, |x| Some(x + 1));
    h.f().write().unwrap().push('x');
    h.g().write().unwrap().push(1);
    let n = usize::from(h.h().read().unwrap().is_some());
    h.i().lock().unwrap().push(String::new());
    n + *h.j() as usize
}}

pub fn build_s{i}() -> {ty} {{
    {ty}::new(S{i}::default())
}}
"""
s = [hdr]
for i in range(1, N+1):
    s.append(data(i))
    s.append(cells(i))
    s.append(f"#[derive(Clone)]\npub struct S{i}Handle(Arc<S{i}Cells>);\n\nimpl S{i}Handle {{\n" + sync_common(i, "") + "}\n")
    s.append(touch(i, f"S{i}Handle"))
open(f"{root}/smallest/src/lib.rs", "w").write("\n".join(s))

def sync_api(i):
    """The `SyncFlavor` handle with the derive's whole API, hand-written."""
    return f"""
#[derive(Clone)]
pub struct S{i}Handle(Arc<S{i}Cells>);
#[derive(Clone)]
pub struct S{i}Weak(sync::Weak<S{i}Cells>);
impl S{i}Weak {{ pub fn upgrade(&self) -> Option<S{i}Handle> {{ self.0.upgrade().map(S{i}Handle) }} }}
impl S{i}Handle {{
""" + sync_common(i, "") + f"""
    pub fn downgrade(this: &Self) -> S{i}Weak {{ S{i}Weak(Arc::downgrade(&this.0)) }}
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {{ Arc::ptr_eq(&a.0, &b.0) }}
    pub fn strong_count(this: &Self) -> usize {{ Arc::strong_count(&this.0) }}
    pub fn weak_count(this: &Self) -> usize {{ Arc::weak_count(&this.0) }}
    fn into_data(x: S{i}Cells) -> S{i} {{
        S{i} {{ a: x.a.into_inner(), b: x.b.into_inner(), c: x.c.into_inner(), d: f64::from_bits(x.d.into_inner()), e: x.e.into_inner(),
            f: x.f.into_inner().unwrap(), g: x.g.into_inner().unwrap(), h: x.h.into_inner().unwrap(), i: x.i.into_inner().unwrap(), j: x.j }}
    }}
    pub fn try_unwrap(this: Self) -> Result<S{i}, Self> {{ Arc::try_unwrap(this.0).map(Self::into_data).map_err(Self) }}
    pub fn into_inner(this: Self) -> Option<S{i}> {{ Arc::into_inner(this.0).map(Self::into_data) }}
    pub fn snapshot(this: &Self) -> S{i} {{
        let x = &*this.0;
        let (f, g, h) = (x.f.read().unwrap(), x.g.read().unwrap(), x.h.read().unwrap());
        let i = x.i.lock().unwrap();
        S{i} {{ a: x.a.load(Acquire), b: x.b.load(Acquire), c: x.c.load(Acquire), d: f64::from_bits(x.d.load(Acquire)), e: x.e.load(Acquire),
            f: f.clone(), g: g.clone(), h: h.clone(), i: i.clone(), j: x.j }}
    }}
}}
impl From<S{i}> for S{i}Handle {{ fn from(s: S{i}) -> Self {{ Self::new(s) }} }}
impl fmt::Debug for S{i}Handle {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        let x = &*self.0;
        f.debug_struct("S{i}Handle").field("a", &x.a).field("b", &x.b).field("c", &x.c).field("d", &x.d).field("e", &x.e)
            .field("f", &x.f).field("g", &x.g).field("h", &x.h).field("i", &x.i).field("j", &x.j).finish()
    }}
}}
"""

# full API: Local + Sync, each with weak, Debug, From, counts, try_unwrap, into_inner, snapshot
f = [hdr, "use std::cell::{Cell, RefCell};\nuse std::fmt;\nuse std::rc::{self, Rc};\nuse std::sync;\n"]
for i in range(1, N+1):
    f.append(data(i, ", Clone, Debug"))
    f.append(cells(i))
    f.append(f"""
pub struct S{i}LocalCells {{
    a: Cell<u64>, b: Cell<i32>, c: Cell<bool>, d: Cell<f64>, e: Cell<usize>,
    f: RefCell<String>, g: RefCell<Vec<u32>>, h: RefCell<Option<String>>, i: RefCell<Vec<String>>, j: u64,
}}
#[derive(Clone)]
pub struct S{i}Local(Rc<S{i}LocalCells>);
#[derive(Clone)]
pub struct S{i}LocalWeak(rc::Weak<S{i}LocalCells>);
impl S{i}LocalWeak {{ pub fn upgrade(&self) -> Option<S{i}Local> {{ self.0.upgrade().map(S{i}Local) }} }}
impl S{i}Local {{
    pub fn new(s: S{i}) -> Self {{
        Self(Rc::new(S{i}LocalCells {{ a: Cell::new(s.a), b: Cell::new(s.b), c: Cell::new(s.c), d: Cell::new(s.d), e: Cell::new(s.e),
            f: RefCell::new(s.f), g: RefCell::new(s.g), h: RefCell::new(s.h), i: RefCell::new(s.i), j: s.j }}))
    }}
    pub fn a(&self) -> &Cell<u64> {{ &self.0.a }}
    pub fn b(&self) -> &Cell<i32> {{ &self.0.b }}
    pub fn c(&self) -> &Cell<bool> {{ &self.0.c }}
    pub fn d(&self) -> &Cell<f64> {{ &self.0.d }}
    pub fn e(&self) -> &Cell<usize> {{ &self.0.e }}
    pub fn f(&self) -> &RefCell<String> {{ &self.0.f }}
    pub fn g(&self) -> &RefCell<Vec<u32>> {{ &self.0.g }}
    pub fn h(&self) -> &RefCell<Option<String>> {{ &self.0.h }}
    pub fn i(&self) -> &RefCell<Vec<String>> {{ &self.0.i }}
    pub fn j(&self) -> &u64 {{ &self.0.j }}
    pub fn downgrade(this: &Self) -> S{i}LocalWeak {{ S{i}LocalWeak(Rc::downgrade(&this.0)) }}
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {{ Rc::ptr_eq(&a.0, &b.0) }}
    pub fn strong_count(this: &Self) -> usize {{ Rc::strong_count(&this.0) }}
    pub fn weak_count(this: &Self) -> usize {{ Rc::weak_count(&this.0) }}
    fn into_data(x: S{i}LocalCells) -> S{i} {{
        S{i} {{ a: x.a.into_inner(), b: x.b.into_inner(), c: x.c.into_inner(), d: x.d.into_inner(), e: x.e.into_inner(),
            f: x.f.into_inner(), g: x.g.into_inner(), h: x.h.into_inner(), i: x.i.into_inner(), j: x.j }}
    }}
    pub fn try_unwrap(this: Self) -> Result<S{i}, Self> {{ Rc::try_unwrap(this.0).map(Self::into_data).map_err(Self) }}
    pub fn into_inner(this: Self) -> Option<S{i}> {{ Rc::into_inner(this.0).map(Self::into_data) }}
    pub fn snapshot(this: &Self) -> S{i} {{
        let x = &*this.0;
        let (f, g, h, i) = (x.f.borrow(), x.g.borrow(), x.h.borrow(), x.i.borrow());
        S{i} {{ a: x.a.get(), b: x.b.get(), c: x.c.get(), d: x.d.get(), e: x.e.get(),
            f: f.clone(), g: g.clone(), h: h.clone(), i: i.clone(), j: x.j }}
    }}
}}
impl From<S{i}> for S{i}Local {{ fn from(s: S{i}) -> Self {{ Self::new(s) }} }}
impl fmt::Debug for S{i}Local {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        let x = &*self.0;
        f.debug_struct("S{i}Local").field("a", &x.a).field("b", &x.b).field("c", &x.c).field("d", &x.d).field("e", &x.e)
            .field("f", &x.f).field("g", &x.g).field("h", &x.h).field("i", &x.i).field("j", &x.j).finish()
    }}
}}
""" + sync_api(i))
    f.append(touch(i, f"S{i}Handle"))
open(f"{root}/full/src/lib.rs", "w").write("\n".join(f))

# the same API in one flavour: `Arc` + atomics / locks
o = [hdr, "use std::fmt;\nuse std::sync;\n"]
for i in range(1, N+1):
    o.append(data(i, ", Clone, Debug"))
    o.append(cells(i))
    o.append(sync_api(i))
    o.append(touch(i, f"S{i}Handle"))
open(f"{root}/one/src/lib.rs", "w").write("\n".join(o))
