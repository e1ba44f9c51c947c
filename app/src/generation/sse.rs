//! Reads the `data:` lines of a server-sent-events body, as OpenAI-compatible APIs stream
//! chat completions, across arbitrary chunk boundaries.

/// Feed bytes in as they arrive; take out complete `data:` payloads.
#[derive(Debug, Default)]
pub struct SseDecoder {
    buffer: Vec<u8>,
}

impl SseDecoder {
    /// The payloads of every complete `data:` line in `chunk` (plus what was buffered).
    pub fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        self.buffer.extend_from_slice(chunk);
        let mut payloads = Vec::new();
        while let Some(newline) = self.buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=newline).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(data) = line.strip_prefix("data:") {
                payloads.push(data.trim_start().to_owned());
            }
        }
        payloads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_across_chunks_are_joined() {
        let mut d = SseDecoder::default();
        assert!(d.push(b"data: {\"a\"").is_empty());
        assert_eq!(
            d.push(b":1}\n\ndata: [DONE]\n"),
            vec!["{\"a\":1}", "[DONE]"]
        );
    }

    #[test]
    fn comments_events_and_crlf_are_handled() {
        let mut d = SseDecoder::default();
        let got = d.push(b": keep-alive\r\nevent: x\r\ndata:hi\r\n\r\n");
        assert_eq!(got, vec!["hi"]);
    }

    #[test]
    fn multibyte_text_split_mid_character_survives() {
        let mut d = SseDecoder::default();
        let text = "data: héllo\n".as_bytes();
        assert!(d.push(&text[..8]).is_empty());
        assert_eq!(d.push(&text[8..]), vec!["héllo"]);
    }
}
