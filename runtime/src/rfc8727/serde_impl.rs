//! serde for the RFC 8727 data model: [`Tree`] as any serde format (human-readable ones get
//! member names, strings for dates and base64 for bytes; CBOR gets Table 4 keys and tags), and
//! the generated types through it ([`serialize`], [`deserialize`], used by their `Serialize` /
//! `Deserialize` impls).

use serde::de::{self, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::tree::Tree;
use super::{decode, encode, keys, LossKind};
use crate::codec::Composite;

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let readable = s.is_human_readable();
        match self {
            Tree::Bool(b) => s.serialize_bool(*b),
            Tree::Int(i) => match i64::try_from(*i) {
                Ok(small) => s.serialize_i64(small),
                Err(_) => s.serialize_i128(*i),
            },
            Tree::Float32(f) => s.serialize_f32(*f),
            Tree::Float(f) => s.serialize_f64(*f),
            Tree::Text(t) => s.serialize_str(t),
            Tree::Date(t) if !readable => ciborium::tag::Required::<&str, 0>(t).serialize(s),
            Tree::Uri(t) if !readable => ciborium::tag::Required::<&str, 32>(t).serialize(s),
            Tree::Date(t) | Tree::Uri(t) => s.serialize_str(t),
            Tree::Bytes(b) if readable => {
                use base64::Engine as _;
                s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
            }
            Tree::Bytes(b) => ciborium::tag::Required::<Bytes<'_>, 22>(Bytes(b)).serialize(s),
            Tree::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Tree::Map(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    if readable {
                        map.serialize_entry(name, value)?;
                    } else {
                        let key = keys::cbor_key(name).ok_or_else(|| {
                            ser::Error::custom(format!("{name} is not an RFC 8727 member"))
                        })?;
                        map.serialize_entry(&key, value)?;
                    }
                }
                map.end()
            }
        }
    }
}

/// A byte string (serde has no `Serialize` for `[u8]` as bytes).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 8727 value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Int(i128::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Int(i128::from(v)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Tree, E> {
        Ok(Tree::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Tree, E> {
        i128::try_from(v)
            .map(Tree::Int)
            .map_err(|_| E::custom("an integer beyond 128 bits"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::Text(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Tree, E> {
        Ok(Tree::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Tree, E> {
        Ok(Tree::Bytes(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Err(E::custom("null is not an IODEF value"))
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Err(E::custom("null is not an IODEF value"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut members: Vec<(&'static str, Tree)> = Vec::new();
        while let Some(Member(name)) = map.next_key()? {
            // Member names are Table 4's, so a map has at most 207 of them: the check is
            // bounded.
            if members.iter().any(|(k, _)| *k == name) {
                return Err(de::Error::custom(format!("duplicate member {name:?}")));
            }
            members.push((name, map.next_value()?));
        }
        Ok(Tree::Map(members))
    }
    /// A CBOR tag (ciborium presents one as an enum).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Tree, A::Error> {
        let (name, variant): (String, _) = data.variant()?;
        match name.as_str() {
            "@@UNTAGGED@@" => variant.newtype_variant(),
            "@@TAGGED@@" => variant.tuple_variant(2, TaggedVisitor),
            other => Err(de::Error::custom(format!("unexpected enum {other}"))),
        }
    }
}

struct TaggedVisitor;

impl<'de> Visitor<'de> for TaggedVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a tagged CBOR value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let tag: u64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("a tag without its number"))?;
        let value: Tree = seq
            .next_element()?
            .ok_or_else(|| de::Error::custom("a tag without its value"))?;
        match (tag, value) {
            (0, Tree::Text(t)) => Ok(Tree::Date(t)),
            (32, Tree::Text(t)) => Ok(Tree::Uri(t)),
            (22, Tree::Bytes(b)) => Ok(Tree::Bytes(b)),
            (tag, value) => Err(de::Error::custom(format!(
                "unexpected CBOR tag {tag} on {}",
                value.kind()
            ))),
        }
    }
}

/// A member key: a Table 4 name, or (CBOR) its integer key.
struct Member(&'static str);

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Member, D::Error> {
        d.deserialize_any(MemberVisitor)
    }
}

struct MemberVisitor;

impl Visitor<'_> for MemberVisitor {
    type Value = Member;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an RFC 8727 member name or mapkey")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
        keys::intern(v)
            .map(Member)
            .ok_or_else(|| E::custom(format!("{v:?} is not an RFC 8727 member name")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Member, E> {
        i32::try_from(v)
            .ok()
            .and_then(keys::member_name)
            .map(Member)
            .ok_or_else(|| E::custom(format!("{v} is not an RFC 8727 mapkey")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Member, E> {
        self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

/// `Serialize` of a generated type: its RFC 8727 form. A value the data model cannot carry
/// (comments, unknown content, interleaved children: [`LossKind::Dropped`] and
/// [`LossKind::Order`]) is an error, not a silent loss; `iodef::rfc8727::to_tree` converts
/// anyway and reports each item.
pub fn serialize<T: Composite, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    let target = if s.is_human_readable() {
        encode::Target::Json
    } else {
        encode::Target::Cbor
    };
    let (tree, losses) = encode::encode_value(v, target);
    let mut lost = losses
        .iter()
        .filter(|l| matches!(l.kind, LossKind::Dropped | LossKind::Order));
    if let Some(first) = lost.next() {
        return Err(ser::Error::custom(format!(
            "RFC 8727 cannot carry {} item(s), the first {first} (iodef::rfc8727::to_tree \
             converts and reports them)",
            1 + lost.count()
        )));
    }
    tree.serialize(s)
}

/// `Deserialize` of a generated type from its RFC 8727 form.
pub fn deserialize<'de, T: Composite, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let tree = Tree::deserialize(d)?;
    decode::decode_value(&tree).map_err(de::Error::custom)
}

/// Implements serde's traits of a generated type through the RFC 8727 mapping (feature
/// `serde` of the runtime; without it, nothing).
#[macro_export]
#[doc(hidden)]
macro_rules! __rfc8727_serde {
    ($ty:ident) => {
        impl $crate::__serde::Serialize for $ty {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::rfc8727::serialize(self, s)
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::rfc8727::deserialize(d)
            }
        }
    };
}
