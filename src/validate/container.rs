//! The container: a zip, an unpacked folder or a bare descriptor, checked before anything in it is
//! parsed, and reduced to the list of its files plus the bytes of the few files the rules read.
//!
//! Zips are streamed entry by entry through a fixed buffer: sizes and ratios are counted from the
//! bytes the decompressor actually produces, never trusted from headers, and memory stays bounded
//! whatever the package size (only descriptors, at most [`xml::MAX_BYTES`] each, are kept).

use super::finding::{Finding, Rule};
use super::xml;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// Limits that stop zip bombs.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Total uncompressed bytes.
    pub max_size: u64,
    pub max_entries: usize,
    /// Uncompressed/compressed, per entry (entries under 1 MiB are exempt).
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_size: 8 << 30,
            max_entries: 100_000,
            max_ratio: 200,
        }
    }
}

/// What the validator needs of a package.
#[derive(Debug, Default)]
pub struct Contents {
    /// Every regular file: package path → uncompressed size.
    pub files: BTreeMap<String, u64>,
    /// The bytes of descriptor files (see [`is_kept`]), by package path.
    pub kept: BTreeMap<String, Vec<u8>>,
    /// Size of the input on disk (the zip's size, or the folder's total).
    pub stored_size: u64,
    /// A bare descriptor: there are no other files to check.
    pub bare: bool,
}

/// How an input path was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Zip,
    Folder,
    Bare,
}

/// Input that cannot be validated at all (exit 2).
#[derive(Debug)]
pub enum InputError {
    Io(String),
    Unrecognised(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Io(m) | InputError::Unrecognised(m) => f.write_str(m),
        }
    }
}

/// Files whose bytes the rules read: descriptors anywhere (to report a misplaced one) and AICC
/// course structure files.
pub fn is_kept(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    matches!(name.as_str(), "imsmanifest.xml" | "cmi5.xml" | "tincan.xml")
        || (!path.contains('/')
            && [".au", ".crs", ".des", ".cst", ".ort", ".pre", ".cmp"]
                .iter()
                .any(|ext| name.ends_with(ext)))
}

/// Read `path`, whatever it is. Container findings go to `findings`.
pub fn read(
    path: &Path,
    limits: Limits,
    findings: &mut Vec<Finding>,
) -> Result<(InputKind, Contents), InputError> {
    let io = |e: io::Error| InputError::Io(format!("{}: {e}", path.display()));
    // One open and one `fstat` per file: validating thousands of manifests, the system calls
    // are a tenth of the time. (Where a folder cannot be opened as a file, ask by path.)
    let (file, meta) = match File::open(path).and_then(|f| f.metadata().map(|m| (f, m))) {
        Ok((file, meta)) => (Some(file), meta),
        Err(e) => match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => (None, meta),
            _ => return Err(io(e)),
        },
    };
    if meta.is_dir() {
        let contents = read_folder(path, limits, findings).map_err(io)?;
        return Ok((InputKind::Folder, contents));
    }
    let mut file = file.expect("opened unless a folder");
    // The first read takes a whole descriptor (the file's size, plus one byte to see the end);
    // only a zip's first bytes matter here: `read_zip` streams it again from the start.
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    let mut bytes = vec![0u8; size.saturating_add(1).clamp(4, 64 << 10)];
    let n = read_up_to(&mut file, &mut bytes).map_err(io)?;
    let whole = n < bytes.len();
    bytes.truncate(n);
    if bytes.starts_with(b"PK") {
        drop(file);
        let contents = read_zip(path, meta.len(), limits, findings).map_err(io)?;
        return Ok((InputKind::Zip, contents));
    }
    if !whole {
        file.take((xml::MAX_BYTES as u64 + 1).saturating_sub(n as u64))
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    if !looks_like_xml(&bytes) {
        return Err(InputError::Unrecognised(format!(
            "{}: neither a zip, a folder, nor an XML descriptor",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .map_or_else(|| "descriptor".into(), |n| n.to_string_lossy().into_owned());
    let mut contents = Contents {
        stored_size: meta.len(),
        bare: true,
        ..Contents::default()
    };
    contents.files.insert(name.clone(), meta.len());
    contents.kept.insert(name, bytes);
    Ok((InputKind::Bare, contents))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// After an optional BOM and white space, a `<`.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.iter()
        .find(|c| !c.is_ascii_whitespace())
        .is_some_and(|&c| c == b'<')
}

/// Problems with one entry name; `None` when the name is safe.
pub fn check_name(name: &str) -> Option<(Rule, &'static str)> {
    if name.contains('\\') {
        return Some((Rule::ZipBackslash, "contains a backslash"));
    }
    if name.contains('\0') {
        return Some((Rule::ZipPathTraversal, "contains a NUL byte"));
    }
    let bytes = name.as_bytes();
    if name.starts_with('/')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
    {
        return Some((Rule::ZipAbsolutePath, "is an absolute path"));
    }
    if name.split('/').any(|seg| seg == "..") {
        return Some((Rule::ZipPathTraversal, "has a `..` segment"));
    }
    None
}

fn read_zip(
    path: &Path,
    stored_size: u64,
    limits: Limits,
    findings: &mut Vec<Finding>,
) -> io::Result<Contents> {
    let mut contents = Contents {
        stored_size,
        ..Contents::default()
    };
    let file = BufReader::new(File::open(path)?);
    let mut archive = match zip::ZipArchive::new(file) {
        Ok(a) => a,
        Err(zip::result::ZipError::Io(e)) if e.kind() != io::ErrorKind::UnexpectedEof => {
            return Err(e)
        }
        Err(e) => {
            findings.push(Finding::new(
                Rule::ZipCorrupt,
                format!("the archive cannot be read: {e}"),
            ));
            return Ok(contents);
        }
    };
    if archive.len() > limits.max_entries {
        findings.push(Finding::new(
            Rule::ZipTooManyEntries,
            format!(
                "the archive has {} entries; the limit is {}",
                archive.len(),
                limits.max_entries
            ),
        ));
        return Ok(contents);
    }
    if archive.has_duplicate_names() {
        findings.push(Finding::new(
            Rule::ZipDuplicateName,
            "the archive holds two or more entries with the same name",
        ));
    }
    match archive.has_overlapping_entries() {
        Ok(true) => {
            findings.push(Finding::new(
                Rule::ZipOverlappingEntries,
                "entries overlap in the archive (a non-recursive zip bomb)",
            ));
            return Ok(contents);
        }
        Ok(false) => {}
        Err(e) => findings.push(Finding::new(
            Rule::ZipCorrupt,
            format!("the archive's entries cannot be located: {e}"),
        )),
    }

    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 << 10];
    let mut lower: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..archive.len() {
        let (name, encrypted, symlink, is_dir, method, compressed) = {
            let entry = match archive.by_index_data(i) {
                Ok(e) => e,
                Err(e) => {
                    findings.push(Finding::new(
                        Rule::ZipCorrupt,
                        format!("entry {i} cannot be read: {e}"),
                    ));
                    continue;
                }
            };
            let raw = entry.name_raw();
            let utf8_flag = entry.flags().as_u16() & 0x0800 != 0;
            let name = match std::str::from_utf8(raw) {
                Ok(n) if utf8_flag || raw.is_ascii() => n.to_owned(),
                _ => {
                    let shown = String::from_utf8_lossy(raw).into_owned();
                    findings.push(
                        Finding::new(
                            Rule::ZipNameEncoding,
                            format!("entry name `{shown}` is not flagged UTF-8 text"),
                        )
                        .file(shown),
                    );
                    continue;
                }
            };
            (
                name,
                entry.encrypted(),
                entry.is_symlink(),
                entry.is_dir(),
                entry.compression(),
                entry.compressed_size(),
            )
        };
        if let Some((rule, why)) = check_name(&name) {
            findings.push(Finding::new(rule, format!("entry name `{name}` {why}")).file(&name));
            continue;
        }
        if symlink {
            findings.push(
                Finding::new(Rule::ZipSymlink, format!("`{name}` is a symbolic link")).file(&name),
            );
            continue;
        }
        if is_dir {
            continue;
        }
        if encrypted {
            findings.push(
                Finding::new(Rule::ZipEncrypted, format!("`{name}` is encrypted")).file(&name),
            );
            continue;
        }
        if !matches!(
            method,
            zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
        ) {
            findings.push(
                Finding::new(
                    Rule::ZipUnsupportedCompression,
                    format!("`{name}` uses compression method {method:?}"),
                )
                .file(&name),
            );
            continue;
        }
        if let Some(other) = lower.insert(name.to_lowercase(), name.clone()) {
            if other != name {
                findings.push(
                    Finding::new(
                        Rule::ZipCaseCollision,
                        format!("`{name}` and `{other}` differ only in case"),
                    )
                    .file(&name),
                );
            }
        }
        if total > limits.max_size {
            // Over the limit already: list the rest without reading it.
            contents.files.insert(name, 0);
            continue;
        }
        let keep = is_kept(&name);
        let mut kept = Vec::new();
        let mut produced: u64 = 0;
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                findings.push(
                    Finding::new(Rule::ZipCorrupt, format!("`{name}` cannot be read: {e}"))
                        .file(&name),
                );
                continue;
            }
        };
        let outcome: Result<(), Finding> = loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => n,
                Err(e) => {
                    break Err(Finding::new(
                        Rule::ZipCorrupt,
                        format!("`{name}` cannot be decompressed: {e}"),
                    ))
                }
            };
            produced += n as u64;
            total += n as u64;
            if keep && kept.len() <= xml::MAX_BYTES {
                kept.extend_from_slice(&buf[..n]);
            }
            if total > limits.max_size {
                break Err(Finding::new(
                    Rule::ZipTooLarge,
                    format!(
                        "the package expands to more than {} bytes (reached in `{name}`)",
                        limits.max_size
                    ),
                ));
            }
            if produced > (1 << 20) && produced > compressed.max(1).saturating_mul(limits.max_ratio)
            {
                break Err(Finding::new(
                    Rule::ZipCompressionRatio,
                    format!(
                        "`{name}` expands more than {}:1 ({compressed} compressed bytes gave over {produced})",
                        limits.max_ratio
                    ),
                ));
            }
        };
        drop(entry);
        if let Err(f) = outcome {
            findings.push(f.file(&name));
            if total > limits.max_size {
                total = limits.max_size + 1;
            }
            contents.files.insert(name, produced);
            continue;
        }
        if keep {
            contents.kept.insert(name.clone(), kept);
        }
        contents.files.insert(name, produced);
    }
    Ok(contents)
}

fn read_folder(root: &Path, limits: Limits, findings: &mut Vec<Finding>) -> io::Result<Contents> {
    let mut contents = Contents::default();
    let mut pending = vec![(root.to_path_buf(), String::new())];
    let mut total: u64 = 0;
    let mut lower: BTreeSet<String> = BTreeSet::new();
    while let Some((dir, prefix)) = pending.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<io::Result<_>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                let shown = format!("{prefix}{}", entry.file_name().to_string_lossy());
                findings.push(
                    Finding::new(
                        Rule::ZipNameEncoding,
                        format!("`{shown}` is not a UTF-8 name"),
                    )
                    .file(shown),
                );
                continue;
            };
            let rel = format!("{prefix}{name}");
            let meta = std::fs::symlink_metadata(entry.path())?;
            if meta.file_type().is_symlink() {
                findings.push(
                    Finding::new(Rule::ZipSymlink, format!("`{rel}` is a symbolic link"))
                        .file(&rel),
                );
                continue;
            }
            if meta.is_dir() {
                pending.push((entry.path(), format!("{rel}/")));
                continue;
            }
            if contents.files.len() >= limits.max_entries {
                findings.push(Finding::new(
                    Rule::ZipTooManyEntries,
                    format!("the folder has more than {} files", limits.max_entries),
                ));
                return Ok(contents);
            }
            if !lower.insert(rel.to_lowercase()) {
                findings.push(
                    Finding::new(
                        Rule::ZipCaseCollision,
                        format!("`{rel}` differs from another path only in case"),
                    )
                    .file(&rel),
                );
            }
            total += meta.len();
            if is_kept(&rel) {
                let mut bytes = Vec::new();
                File::open(entry.path())?
                    .take(xml::MAX_BYTES as u64 + 1)
                    .read_to_end(&mut bytes)?;
                contents.kept.insert(rel.clone(), bytes);
            }
            contents.files.insert(rel, meta.len());
        }
    }
    contents.stored_size = total;
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(check_name("a/b.html"), None);
        assert_eq!(
            check_name("a/../../b").map(|r| r.0),
            Some(Rule::ZipPathTraversal)
        );
        assert_eq!(
            check_name("/etc/passwd").map(|r| r.0),
            Some(Rule::ZipAbsolutePath)
        );
        assert_eq!(check_name("C:/x").map(|r| r.0), Some(Rule::ZipAbsolutePath));
        assert_eq!(check_name("a\\b").map(|r| r.0), Some(Rule::ZipBackslash));
        assert_eq!(check_name("a..b/c"), None);
    }
}
