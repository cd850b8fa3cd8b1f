//! Region reads (docs/protocol.md "Region reads"): a read request's array node may carry
//! `"region": [[start, stop], ...]`, the half-open box to read. The kit checks the box against the
//! array's shape and hands the worker ranges for its library's partial read.

use std::ops::Range;

use serde_json::{json, Value};

use crate::Failure;

/// One `[start, stop]` pair per dimension, as the request spells it.
pub type Region = Vec<[u64; 2]>;

/// The box to read as ranges, checked against `shape`; the whole array without a region.
pub fn ranges(region: Option<&Region>, shape: &[u64]) -> Result<Vec<Range<u64>>, Failure> {
    let Some(region) = region else {
        return Ok(shape.iter().map(|&n| 0..n).collect());
    };
    let inside = region.len() == shape.len()
        && region.iter().zip(shape).all(|([start, stop], &n)| start <= stop && *stop <= n);
    if !inside {
        return Err(Failure::bad_request(format!(
            "region {region:?} is not a [start, stop] box inside the array's shape {shape:?}")));
    }
    Ok(region.iter().map(|&[start, stop]| start..stop).collect())
}

/// The shape of the values a box holds.
pub fn box_shape(ranges: &[Range<u64>]) -> Vec<u64> {
    ranges.iter().map(|r| r.end - r.start).collect()
}

/// The reply node repeats the region it was asked for (and nothing when none was asked).
pub fn echo(node: &mut Value, region: Option<&Region>) {
    if let (Some(region), Some(fields)) = (region, node.as_object_mut()) {
        fields.insert("region".into(), json!(region));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_region_is_the_whole_array() {
        assert_eq!(ranges(None, &[3, 4]).unwrap(), vec![0..3, 0..4]);
        assert_eq!(ranges(None, &[]).unwrap(), Vec::<Range<u64>>::new());
    }

    #[test]
    fn a_region_becomes_ranges_and_a_shape() {
        let got = ranges(Some(&vec![[1, 3], [0, 0], [2, 5]]), &[3, 4, 5]).unwrap();
        assert_eq!(got, vec![1..3, 0..0, 2..5]);
        assert_eq!(box_shape(&got), vec![2, 0, 3]);
        assert_eq!(ranges(Some(&vec![]), &[]).unwrap(), Vec::<Range<u64>>::new()); // 0-d
    }

    #[test]
    fn boxes_outside_the_shape_are_bad_requests() {
        for region in [vec![[0, 4]], vec![[2, 1], [0, 1]], vec![[0, 1]], vec![[0, 1], [0, 1], [0, 1]]] {
            let err = ranges(Some(&region), &[3, 4]).unwrap_err();
            assert!(matches!(err, Failure::Error { ref kind, .. } if kind == "BadRequest"), "{region:?}: {err:?}");
        }
    }

    #[test]
    fn the_region_is_echoed_only_when_asked() {
        let mut node = json!({"kind": "array"});
        echo(&mut node, None);
        assert_eq!(node, json!({"kind": "array"}));
        echo(&mut node, Some(&vec![[1, 2]]));
        assert_eq!(node, json!({"kind": "array", "region": [[1, 2]]}));
    }

    #[test]
    fn a_request_node_parses_its_region() {
        let node: crate::NodeRef = serde_json::from_value(json!({"path": "a", "kind": "array", "region": [[0, 2]]})).unwrap();
        assert_eq!(node.region, Some(vec![[0, 2]]));
        let node: crate::NodeRef = serde_json::from_value(json!({"path": "a", "kind": "array"})).unwrap();
        assert_eq!(node.region, None);
        assert!(serde_json::from_value::<crate::NodeRef>(json!({"path": "a", "kind": "array", "region": [[-1, 2]]})).is_err());
    }
}
