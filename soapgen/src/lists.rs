//! List types become `Vec<X>`: a complex type whose only content is one repeated element and
//! no attributes (ASMX's `ArrayOfX`) is not generated; every field of that type reads and writes
//! the wrapper element as the contract says and holds the items as a `Vec`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{FieldKind, FieldType, ListItem, Occurs, StructDef, TypeDef};

/// Replaces the list types of `defs` by `Vec` fields ([`Occurs::List`]) and removes them.
///
/// A list type is kept as a struct when it is a global element, the content of a newtype, a
/// repeated field, or the item of another list: a `Vec` cannot stand in for it there.
pub fn collapse(defs: &mut Vec<TypeDef>) {
    let mut lists: BTreeMap<String, (FieldType, ListItem)> = defs
        .iter()
        .filter_map(|def| match def {
            TypeDef::Struct(s) => list_item(s).map(|item| (s.rust_name.clone(), item)),
            _ => None,
        })
        .collect();
    let mut keep = BTreeSet::new();
    for def in defs.iter() {
        match def {
            TypeDef::Newtype(n) => keep.extend(struct_name(&n.inner)),
            TypeDef::Struct(s) => {
                for f in &s.fields {
                    if f.occurs == Occurs::Many || lists.contains_key(&s.rust_name) {
                        keep.extend(struct_name(&f.ty));
                    }
                }
            }
            TypeDef::Enum(_) => {}
        }
    }
    lists.retain(|name, _| !keep.contains(name));
    if lists.is_empty() {
        return;
    }
    defs.retain(|def| !lists.contains_key(def.rust_name()));
    for def in defs.iter_mut() {
        let TypeDef::Struct(s) = def else { continue };
        for f in &mut s.fields {
            let Some((ty, item)) = struct_name(&f.ty).and_then(|name| lists.get(name)) else { continue };
            if f.kind == FieldKind::Element {
                f.ty = ty.clone();
                f.occurs = Occurs::List;
                f.item = Some(item.clone());
            }
        }
    }
}

fn struct_name(ty: &FieldType) -> Option<&String> {
    match ty {
        FieldType::Struct(name) => Some(name),
        _ => None,
    }
}

/// The item of `s` when `s` is a list type.
fn list_item(s: &StructDef) -> Option<(FieldType, ListItem)> {
    let [field] = s.fields.as_slice() else { return None };
    if s.element.is_some() || field.kind != FieldKind::Element || field.occurs != Occurs::Many {
        return None;
    }
    let item = ListItem {
        list_type: s.xml_name.clone(),
        xml_name: field.xml_name.clone(),
        namespace: field.namespace.clone(),
        nillable: field.nillable,
    };
    Some((field.ty.clone(), item))
}
