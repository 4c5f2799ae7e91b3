//! Styles (placeholder until the views land).

#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub no_color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Theme {
        Theme { no_color }
    }
}
