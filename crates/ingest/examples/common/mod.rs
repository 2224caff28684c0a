//! The calamine floor shared by the benches: a workbook opened with calamine and every
//! cell of every sheet visited, nothing else.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

// The same allocator as the `tonghop` binary, so that the floor and the ingest are
// compared on equal terms (calamine alone reads 10-15 % faster with it than with glibc's).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The non-empty cells of the workbook at `path` (0 when it cannot be read).
pub fn floor_cells(path: &Path) -> usize {
    let Ok(bytes) = std::fs::read(path) else { return 0 };
    let Ok(mut book) = open_workbook_auto_from_rs(Cursor::new(bytes)) else { return 0 };
    let mut cells = 0;
    for name in book.sheet_names() {
        if let Ok(range) = book.worksheet_range(&name) {
            cells += range.used_cells().filter(|(_, _, d)| !matches!(d, Data::Empty)).count();
        }
    }
    cells
}
