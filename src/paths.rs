//! Package paths: `/`-separated, relative to the package (or course) root.

/// Resolve `.` and `..` segments and drop empty ones: `a/./b/../c` → `a/c`. `None` when `..`
/// climbs above the root, which no file inside a package or course can be.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn segments() {
        assert_eq!(normalize("a/./b/../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(normalize("a//b/").as_deref(), Some("a/b"));
        assert_eq!(normalize("a/../..").as_deref(), None);
        assert_eq!(normalize("").as_deref(), Some(""));
    }
}
