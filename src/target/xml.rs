//! A small XML writer over quick-xml: manifests are built element by element, never by pasting
//! strings, so escaping is always right.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

pub struct Xml(Writer<Vec<u8>>);

impl Default for Xml {
    fn default() -> Self {
        Self::new()
    }
}

impl Xml {
    pub fn new() -> Self {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect("writing to memory cannot fail");
        Self(w)
    }

    fn event(&mut self, e: Event) -> &mut Self {
        self.0
            .write_event(e)
            .expect("writing to memory cannot fail");
        self
    }

    fn start<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attrs.iter().copied())
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Start(Self::start(name, attrs)))
    }

    pub fn close(&mut self, name: &str) -> &mut Self {
        self.event(Event::End(BytesEnd::new(name)))
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.event(Event::Empty(Self::start(name, attrs)))
    }

    /// `<name attrs>text</name>`
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(name, attrs);
        self.event(Event::Text(BytesText::new(text)));
        self.close(name)
    }

    pub fn finish(self) -> Vec<u8> {
        let mut out = self.0.into_inner();
        out.push(b'\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut x = Xml::new();
        x.open("a", &[("t", "x\"<&")])
            .leaf("b", &[], "1 < 2 & 3")
            .close("a");
        let s = String::from_utf8(x.finish()).unwrap();
        assert!(s.contains(r#"<a t="x&quot;&lt;&amp;">"#), "{s}");
        assert!(s.contains("<b>1 &lt; 2 &amp; 3</b>"), "{s}");
    }
}
