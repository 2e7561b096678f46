//! Recursive types: a struct that contains itself, directly or through a cycle of other types,
//! has no finite size unless the cycle goes through a `Vec` or a `Box`. This module finds the
//! strongly connected components of the "holds a value of" graph and boxes every single-valued
//! field whose type lies in the same component as its struct.

use std::collections::BTreeMap;

use crate::ir::{FieldType, Occurs, TypeDef};

/// Sets [`crate::ir::Field::boxed`] on the fields through which a type contains itself.
pub fn box_cycles(defs: &mut [TypeDef]) {
    let index: BTreeMap<&str, usize> = defs.iter().enumerate().map(|(i, d)| (d.rust_name(), i)).collect();
    let edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| {
            let held = |ty: &FieldType| match ty {
                FieldType::Struct(name) => index.get(name.as_str()).copied(),
                _ => None,
            };
            match def {
                TypeDef::Struct(s) => s
                    .fields
                    .iter()
                    .filter(|f| !matches!(f.occurs, Occurs::Many | Occurs::List))
                    .filter_map(|f| held(&f.ty))
                    .collect(),
                TypeDef::Newtype(n) => held(&n.inner).into_iter().collect(),
                TypeDef::Enum(_) => Vec::new(),
            }
        })
        .collect();
    let component = components(&edges);
    let index: BTreeMap<String, usize> = index.into_iter().map(|(name, i)| (name.to_owned(), i)).collect();
    for (i, def) in defs.iter_mut().enumerate() {
        let TypeDef::Struct(s) = def else { continue };
        for field in &mut s.fields {
            let FieldType::Struct(name) = &field.ty else { continue };
            if matches!(field.occurs, Occurs::Many | Occurs::List) {
                continue;
            }
            if let Some(&target) = index.get(name.as_str()) {
                field.boxed = component[target] == component[i];
            }
        }
    }
}

/// The strongly connected component of each node (Tarjan's algorithm, iterative).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut stack, mut on_stack) = (Vec::new(), vec![false; n]);
    let (mut counter, mut components) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next edge to follow)
        let mut calls = vec![(root, 0)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut next)) = calls.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                if order[to] == UNSEEN {
                    order[to] = counter;
                    low[to] = counter;
                    counter += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(order[to]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 leads into it; 4 holds itself.
        let c = components(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}
