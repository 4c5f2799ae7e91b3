//! A form of labelled text fields (tui-input), each validated as you type.

use tui_input::{Input, InputRequest};

/// Checks a field's text; `Err` holds the inline message.
pub type Check = fn(&str) -> Result<(), String>;

#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
    check: Check,
}

impl Field {
    pub fn new(label: &'static str, hint: &'static str, value: &str, check: Check) -> Field {
        Field {
            label,
            hint,
            input: Input::new(value.to_string()),
            check,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The inline error for the current text, if any.
    pub fn error(&self) -> Option<String> {
        (self.check)(self.input.value()).err()
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
}

/// The longest text a field takes: a paste of a novel stops here.
pub const MAX_FIELD: usize = 512;

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form { fields, focus: 0 }
    }

    pub fn edit(&mut self, req: InputRequest) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            if let InputRequest::InsertChar(c) = req
                && (c.is_control() || f.input.value().chars().count() >= MAX_FIELD)
            {
                return;
            }
            f.input.handle(req);
        }
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map(Field::value).unwrap_or("")
    }

    /// The first field with an error: (index, message).
    pub fn first_error(&self) -> Option<(usize, String)> {
        self.fields
            .iter()
            .enumerate()
            .find_map(|(i, f)| f.error().map(|e| (i, e)))
    }
}

/// Keeps the message of an API validation error, without the field name repeated.
pub fn api_check<T>(r: Result<T, crate::api::ApiError>) -> Result<(), String> {
    match r {
        Ok(_) => Ok(()),
        Err(crate::api::ApiError::InvalidInput { message, .. }) => Err(message),
        Err(e) => Err(e.to_string()),
    }
}

/// Optional fields: empty is fine, else `check` decides.
pub fn optional(v: &str, check: impl Fn(&str) -> Result<(), String>) -> Result<(), String> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        check(v)
    }
}
