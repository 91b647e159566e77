//! The documents a command works on: files as given, `-` for standard input, and with `-r` the
//! documents in directories (recursively, in path order).

use std::path::Path;

/// File name extensions of the documents taken from a directory (any case).
const DOCUMENT_EXTENSIONS: &[&str] = &["xml", "json", "cbor"];

/// The inputs named by `args`: a file or `-` as it is; a directory, with `recursive`, as the
/// documents under it (`.xml`, `.json`, `.cbor`; symbolic links to directories are not
/// followed), sorted by path. A directory without `recursive`, or one that cannot be read, is an
/// error (a usage error for the command).
pub fn expand(args: &[String], recursive: bool) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            if !recursive {
                return Err(format!(
                    "{arg}: is a directory (use -r to read the documents in it)"
                ));
            }
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(arg.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the directory: {e}", dir.display()))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("{}: cannot read the directory: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if is_document(&path) && (kind.is_file() || path.is_file()) {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

fn is_document(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        DOCUMENT_EXTENSIONS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_need_recursive_and_are_walked_in_order() {
        let dir = std::env::temp_dir().join(format!("iodef-inputs-{}", std::process::id()));
        let sub = dir.join("b");
        std::fs::create_dir_all(&sub).unwrap();
        for name in ["b/z.xml", "a.JSON", "c.cbor", "notes.txt", "b/a.xml"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let d = dir.to_string_lossy().into_owned();
        assert!(expand(std::slice::from_ref(&d), false)
            .unwrap_err()
            .contains("use -r"));
        let found = expand(&[d.clone(), "-".into()], true).unwrap();
        let rel: Vec<String> = found
            .iter()
            .map(|f| f.strip_prefix(&format!("{d}/")).unwrap_or(f).to_string())
            .collect();
        assert_eq!(rel, ["a.JSON", "b/a.xml", "b/z.xml", "c.cbor", "-"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
