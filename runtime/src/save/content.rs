//! A serialized value held in memory: what a save writes while it holds its locks, to write
//! out to the real serializer after it has released them (a serializer cannot take back what
//! it wrote, and an attempt of the save's transaction may restart).
//!
//! [`Content`] covers serde's whole data model, plus [`Content::Handle`]: a place where a
//! nested handle goes, filled in when the content is written out.

use serde::ser::{
    self, Error as _, Serialize, SerializeMap, SerializeSeq, SerializeStruct,
    SerializeStructVariant, SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
    Serializer,
};

use super::Saved;

/// One value of serde's data model.
pub(crate) enum Content {
    Bool(bool),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    I128(i128),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    U128(u128),
    F32(f32),
    F64(f64),
    Char(char),
    String(String),
    Bytes(Vec<u8>),
    None,
    Some(Box<Content>),
    Unit,
    UnitStruct(&'static str),
    UnitVariant(&'static str, u32, &'static str),
    NewtypeStruct(&'static str, Box<Content>),
    NewtypeVariant(&'static str, u32, &'static str, Box<Content>),
    Seq(Vec<Content>),
    Tuple(Vec<Content>),
    TupleStruct(&'static str, Vec<Content>),
    TupleVariant(&'static str, u32, &'static str, Vec<Content>),
    Map(Vec<(Content, Content)>),
    Struct(&'static str, Vec<(&'static str, Content)>),
    StructVariant(
        &'static str,
        u32,
        &'static str,
        Vec<(&'static str, Content)>,
    ),
    /// The nested handle number `n` of the save, written where this stands.
    Handle(usize),
}

/// The error of writing into a [`Content`]: what a `Serialize` impl reported.
#[derive(Debug)]
pub(crate) struct ContentError(pub(crate) String);

impl core::fmt::Display for ContentError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ContentError {}

impl ser::Error for ContentError {
    fn custom<T: core::fmt::Display>(msg: T) -> Self {
        ContentError(msg.to_string())
    }
}

/// Writes a value into a [`Content`]. `human_readable`: what the real serializer says, so that
/// types which serialize differently for people and for machines pick the same form.
pub(crate) struct ContentSerializer {
    pub(crate) human_readable: bool,
}

/// A sequence, tuple or map being written into a [`Content`].
pub(crate) struct Collect {
    human_readable: bool,
    items: Vec<Content>,
    /// Map: the key waiting for its value.
    key: Option<Content>,
    entries: Vec<(Content, Content)>,
    fields: Vec<(&'static str, Content)>,
    kind: Kind,
}

/// What a [`Collect`] becomes.
enum Kind {
    Seq,
    Tuple,
    TupleStruct(&'static str),
    TupleVariant(&'static str, u32, &'static str),
    Map,
    Struct(&'static str),
    StructVariant(&'static str, u32, &'static str),
}

impl ContentSerializer {
    fn collect(&self, kind: Kind, len: Option<usize>) -> Collect {
        Collect {
            human_readable: self.human_readable,
            items: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            entries: Vec::new(),
            fields: Vec::new(),
            kind,
        }
    }

    fn nested<T: Serialize + ?Sized>(&self, value: &T) -> Result<Box<Content>, ContentError> {
        value
            .serialize(ContentSerializer {
                human_readable: self.human_readable,
            })
            .map(Box::new)
    }
}

impl Collect {
    fn value<T: Serialize + ?Sized>(&self, value: &T) -> Result<Content, ContentError> {
        value.serialize(ContentSerializer {
            human_readable: self.human_readable,
        })
    }

    fn end(self) -> Content {
        match self.kind {
            Kind::Seq => Content::Seq(self.items),
            Kind::Tuple => Content::Tuple(self.items),
            Kind::TupleStruct(name) => Content::TupleStruct(name, self.items),
            Kind::TupleVariant(name, index, variant) => {
                Content::TupleVariant(name, index, variant, self.items)
            }
            Kind::Map => Content::Map(self.entries),
            Kind::Struct(name) => Content::Struct(name, self.fields),
            Kind::StructVariant(name, index, variant) => {
                Content::StructVariant(name, index, variant, self.fields)
            }
        }
    }
}

macro_rules! scalars {
    ($($method:ident($ty:ty) => $variant:ident,)*) => {
        $(
            fn $method(self, v: $ty) -> Result<Content, ContentError> {
                Ok(Content::$variant(v))
            }
        )*
    };
}

impl Serializer for ContentSerializer {
    type Ok = Content;
    type Error = ContentError;
    type SerializeSeq = Collect;
    type SerializeTuple = Collect;
    type SerializeTupleStruct = Collect;
    type SerializeTupleVariant = Collect;
    type SerializeMap = Collect;
    type SerializeStruct = Collect;
    type SerializeStructVariant = Collect;

    scalars! {
        serialize_bool(bool) => Bool,
        serialize_i8(i8) => I8,
        serialize_i16(i16) => I16,
        serialize_i32(i32) => I32,
        serialize_i64(i64) => I64,
        serialize_i128(i128) => I128,
        serialize_u8(u8) => U8,
        serialize_u16(u16) => U16,
        serialize_u32(u32) => U32,
        serialize_u64(u64) => U64,
        serialize_u128(u128) => U128,
        serialize_f32(f32) => F32,
        serialize_f64(f64) => F64,
        serialize_char(char) => Char,
    }

    fn serialize_str(self, v: &str) -> Result<Content, ContentError> {
        Ok(Content::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Content, ContentError> {
        Ok(Content::Bytes(v.to_owned()))
    }

    fn serialize_none(self) -> Result<Content, ContentError> {
        Ok(Content::None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Content, ContentError> {
        Ok(Content::Some(self.nested(value)?))
    }
    fn serialize_unit(self) -> Result<Content, ContentError> {
        Ok(Content::Unit)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Content, ContentError> {
        Ok(Content::UnitStruct(name))
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Content, ContentError> {
        Ok(Content::UnitVariant(name, index, variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Content, ContentError> {
        if name == super::HANDLE_TOKEN {
            // A nested handle of the save (see `save::nested`): its number, as a u64.
            if let Content::U64(n) = *self.nested(value)? {
                return usize::try_from(n)
                    .map(Content::Handle)
                    .map_err(ContentError::custom);
            }
        }
        Ok(Content::NewtypeStruct(name, self.nested(value)?))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Content, ContentError> {
        Ok(Content::NewtypeVariant(
            name,
            index,
            variant,
            self.nested(value)?,
        ))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::Seq, len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::Tuple, Some(len)))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::TupleStruct(name), Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::TupleVariant(name, index, variant), Some(len)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::Map, None))
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::Struct(name), None))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Collect, ContentError> {
        Ok(self.collect(Kind::StructVariant(name, index, variant), None))
    }
    fn is_human_readable(&self) -> bool {
        self.human_readable
    }
}

/// The element methods of the sequence-like kinds: each pushes one item.
macro_rules! push_items {
    ($($trait:ident :: $method:ident),*) => {
        $(
            impl $trait for Collect {
                type Ok = Content;
                type Error = ContentError;
                fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ContentError> {
                    let value = self.value(value)?;
                    self.items.push(value);
                    Ok(())
                }
                fn end(self) -> Result<Content, ContentError> {
                    Ok(Collect::end(self))
                }
            }
        )*
    };
}

push_items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl SerializeMap for Collect {
    type Ok = Content;
    type Error = ContentError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ContentError> {
        self.key = Some(self.value(key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ContentError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ContentError::custom("serialize_value called before serialize_key"))?;
        let value = self.value(value)?;
        self.entries.push((key, value));
        Ok(())
    }
    fn end(self) -> Result<Content, ContentError> {
        Ok(Collect::end(self))
    }
}

/// The field methods of the struct kinds: each pushes one named field.
macro_rules! push_fields {
    ($($trait:ident),*) => {
        $(
            impl $trait for Collect {
                type Ok = Content;
                type Error = ContentError;
                fn serialize_field<T: Serialize + ?Sized>(
                    &mut self,
                    key: &'static str,
                    value: &T,
                ) -> Result<(), ContentError> {
                    let value = self.value(value)?;
                    self.fields.push((key, value));
                    Ok(())
                }
                fn end(self) -> Result<Content, ContentError> {
                    Ok(Collect::end(self))
                }
            }
        )*
    };
}

push_fields!(SerializeStruct, SerializeStructVariant);

/// A [`Content`] written out, its nested handles taken from `saved`.
pub(crate) struct Out<'a> {
    pub(crate) content: &'a Content,
    pub(crate) saved: &'a Saved,
}

impl Out<'_> {
    fn of<'b>(&'b self, content: &'b Content) -> Out<'b> {
        Out {
            content,
            saved: self.saved,
        }
    }
}

impl Serialize for Out<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.content {
            Content::Bool(v) => s.serialize_bool(*v),
            Content::I8(v) => s.serialize_i8(*v),
            Content::I16(v) => s.serialize_i16(*v),
            Content::I32(v) => s.serialize_i32(*v),
            Content::I64(v) => s.serialize_i64(*v),
            Content::I128(v) => s.serialize_i128(*v),
            Content::U8(v) => s.serialize_u8(*v),
            Content::U16(v) => s.serialize_u16(*v),
            Content::U32(v) => s.serialize_u32(*v),
            Content::U64(v) => s.serialize_u64(*v),
            Content::U128(v) => s.serialize_u128(*v),
            Content::F32(v) => s.serialize_f32(*v),
            Content::F64(v) => s.serialize_f64(*v),
            Content::Char(v) => s.serialize_char(*v),
            Content::String(v) => s.serialize_str(v),
            Content::Bytes(v) => s.serialize_bytes(v),
            Content::None => s.serialize_none(),
            Content::Some(v) => s.serialize_some(&self.of(v)),
            Content::Unit => s.serialize_unit(),
            Content::UnitStruct(name) => s.serialize_unit_struct(name),
            Content::UnitVariant(name, index, variant) => {
                s.serialize_unit_variant(name, *index, variant)
            }
            Content::NewtypeStruct(name, v) => s.serialize_newtype_struct(name, &self.of(v)),
            Content::NewtypeVariant(name, index, variant, v) => {
                s.serialize_newtype_variant(name, *index, variant, &self.of(v))
            }
            Content::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&self.of(item))?;
                }
                seq.end()
            }
            Content::Tuple(items) => {
                let mut tuple = s.serialize_tuple(items.len())?;
                for item in items {
                    tuple.serialize_element(&self.of(item))?;
                }
                tuple.end()
            }
            Content::TupleStruct(name, items) => {
                let mut tuple = s.serialize_tuple_struct(name, items.len())?;
                for item in items {
                    tuple.serialize_field(&self.of(item))?;
                }
                tuple.end()
            }
            Content::TupleVariant(name, index, variant, items) => {
                let mut tuple = s.serialize_tuple_variant(name, *index, variant, items.len())?;
                for item in items {
                    tuple.serialize_field(&self.of(item))?;
                }
                tuple.end()
            }
            Content::Map(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(&self.of(key), &self.of(value))?;
                }
                map.end()
            }
            Content::Struct(name, fields) => {
                let mut out = s.serialize_struct(name, fields.len())?;
                for (key, value) in fields {
                    out.serialize_field(key, &self.of(value))?;
                }
                out.end()
            }
            Content::StructVariant(name, index, variant, fields) => {
                let mut out = s.serialize_struct_variant(name, *index, variant, fields.len())?;
                for (key, value) in fields {
                    out.serialize_field(key, &self.of(value))?;
                }
                out.end()
            }
            Content::Handle(n) => self.saved.write_handle(*n, s),
        }
    }
}
