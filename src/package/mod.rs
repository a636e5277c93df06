//! Package: an in-memory file tree → a reproducible zip, written atomically.
//!
//! Reproducible means the same tree gives the same bytes on any machine: entries sorted by path, one
//! fixed timestamp, mode 0644, and compression that does not depend on thread scheduling (entries are
//! deflated in parallel, then appended in order). Media that is already compressed is stored.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The contents of one file in a package.
#[derive(Clone, Debug)]
pub enum Content {
    Bytes(Arc<[u8]>),
    /// A source file, read when the zip is written (media can be large).
    Disk(PathBuf),
}

impl Content {
    pub fn bytes(data: impl Into<Vec<u8>>) -> Self {
        Content::Bytes(data.into().into())
    }

    fn read(&self) -> io::Result<Arc<[u8]>> {
        match self {
            Content::Bytes(b) => Ok(Arc::clone(b)),
            Content::Disk(p) => Ok(std::fs::read(p)?.into()),
        }
    }
}

/// A package before zipping: package path → contents. Paths use `/`, never start with `/`, never
/// contain `..`; the map keeps them sorted, which is the zip's entry order.
pub type Tree = std::collections::BTreeMap<String, Content>;

/// Extensions of formats that are already compressed: deflating them costs time and saves nothing.
const STORED: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "avif", "mp3", "mp4", "m4a", "webm", "ogg", "woff",
    "woff2", "pdf", "zip", "gz",
];

/// The timestamp of every entry: 1980-01-01 00:00:00, the zip epoch.
fn epoch() -> DateTime {
    DateTime::default()
}

fn options(path: &str) -> SimpleFileOptions {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let base = SimpleFileOptions::default()
        .last_modified_time(epoch())
        .unix_permissions(0o644);
    if STORED.contains(&ext.as_str()) {
        base.compression_method(CompressionMethod::Stored)
    } else {
        base.compression_method(CompressionMethod::Deflated)
            .compression_level(Some(6))
    }
}

/// Write `tree` as a zip to `out`. `parallel` deflates entries on the rayon pool; the bytes are the
/// same either way.
pub fn zip<W: Write + Seek>(tree: &Tree, out: W, parallel: bool) -> io::Result<W> {
    let compress =
        |(path, content): (&String, &Content)| -> io::Result<zip::write::PreparedZipFile> {
            let data = content
                .read()
                .map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
            let mut builder = ZipFileBuilder::new(path, options(path)).map_err(io::Error::other)?;
            builder.write_all(&data)?;
            builder.finish().map_err(io::Error::other)
        };
    let prepared: Vec<_> = if parallel {
        tree.par_iter().map(compress).collect::<io::Result<_>>()?
    } else {
        tree.iter().map(compress).collect::<io::Result<_>>()?
    };
    let mut writer = ZipWriter::new(out);
    writer
        .add_prepared_files(prepared)
        .map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)
}

/// What was written, for `build.json`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Written {
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
}

/// A zip being written next to its final name; renamed into place by [`Pending::commit`], deleted
/// if dropped. So a failed build never leaves a half-written zip and never replaces a good one.
pub struct Pending {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Pending {
    /// Zip `tree` into a temporary file beside `target`.
    pub fn write(tree: &Tree, target: &Path, parallel: bool) -> io::Result<(Pending, Written)> {
        let dir = target.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("package");
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let pending = Pending {
            temp: temp.clone(),
            target: target.to_path_buf(),
            committed: false,
        };
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        let mut file = zip(tree, BufWriter::new(file), parallel)?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        file.rewind()?;
        let written = hash(&mut file, target)?;
        Ok((pending, written))
    }

    pub fn commit(mut self) -> io::Result<()> {
        std::fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

fn hash(file: &mut File, target: &Path) -> io::Result<Written> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    let mut size = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok(Written {
        path: target.to_path_buf(),
        size,
        sha256: hex(&hasher.finalize()),
    })
}

/// Write a small file atomically (temp + rename).
pub fn write_atomic(target: &Path, data: &[u8]) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, data).and_then(|()| std::fs::rename(&temp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn tree() -> Tree {
        let mut t = Tree::new();
        for i in 0..40 {
            t.insert(
                format!("page{i:02}.html"),
                Content::bytes(format!("<p>{}</p>", "text ".repeat(i * 50))),
            );
            t.insert(
                format!("media/img{i:02}.png"),
                Content::bytes(vec![i as u8; 1000 + i]),
            );
        }
        t
    }

    #[test]
    fn parallel_and_sequential_zips_are_identical() {
        let a = zip(&tree(), Cursor::new(Vec::new()), true)
            .unwrap()
            .into_inner();
        let b = zip(&tree(), Cursor::new(Vec::new()), false)
            .unwrap()
            .into_inner();
        assert_eq!(a, b);
    }

    #[test]
    fn entries_are_sorted_dated_and_compressed_by_kind() {
        let bytes = zip(&tree(), Cursor::new(Vec::new()), true)
            .unwrap()
            .into_inner();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for i in 0..archive.len() {
            let f = archive.by_index(i).unwrap();
            assert_eq!(f.unix_mode(), Some(0o100644));
            assert_eq!(f.last_modified(), Some(DateTime::default()));
            let name = f.name().unwrap().into_owned();
            let stored = name.ends_with(".png");
            assert_eq!(
                f.compression() == CompressionMethod::Stored,
                stored,
                "{name}"
            );
        }
    }

    #[test]
    fn a_dropped_pending_zip_leaves_nothing_and_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.zip");
        std::fs::write(&target, b"old good zip").unwrap();
        let (pending, written) = Pending::write(&tree(), &target, true).unwrap();
        assert!(written.size > 0);
        drop(pending);
        assert_eq!(std::fs::read(&target).unwrap(), b"old good zip");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let (pending, _) = Pending::write(&tree(), &target, true).unwrap();
        pending.commit().unwrap();
        assert_ne!(std::fs::read(&target).unwrap(), b"old good zip");
    }
}
