// The character encodings of CSV files as spreadsheets write them (docs/import.md, "Formats"):
// detection, reading as UTF-8 and writing back.
//
// French Excel's "CSV (séparateur : point-virgule)" is Windows-1252, not UTF-8; "CSV UTF-8" starts
// with a byte-order mark; "Texte Unicode" is UTF-16; Excel for Mac's "CSV (Macintosh)" is Mac
// Roman. detect_encoding reads the whole stream once (a UTF-8 file is valid UTF-8 to its last
// byte, a Windows-1252 file may have its first accent on its millionth line): a byte-order mark
// decides; valid UTF-8 (plain ASCII included) is UTF-8; otherwise ICU's charset detector
// (ucsdet) is asked, and its answer kept when it is UTF-16/32 and sure of it; any other file is
// Windows-1252 (ISO-8859-1 with the printable 0x80–0x9F: €, œ, ’…), or Mac Roman when it holds
// bytes that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D: é è ê ù in Mac Roman).
#pragma once
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace gz::io {

struct TextEncoding {
  std::string name = "UTF-8";  // one of supported_encodings()
  bool bom = false;            // the file starts with a byte-order mark
  bool detected = true;        // found by detect_encoding rather than given by the user
  int confidence = 100;        // 0–100: 100 for a byte-order mark or valid UTF-8, else the detector's
};

// The encodings the import reads and writes back: UTF-8, windows-1252, ISO-8859-1, ISO-8859-15,
// macintosh, IBM850, UTF-16LE, UTF-16BE.
const std::vector<std::string>& supported_encodings();
// The canonical name of an encoding a user names ("utf8", "UTF-8", "cp1252", "latin1", "Windows
// 1252", "mac"…), "" for "auto" or "" (detect), nullopt when not supported.
std::optional<std::string> canonical_encoding(std::string_view name);

// Reads the stream from its current position to its end and seeks back there (a stream that
// cannot seek: the first 1 MiB only, which the caller must then not have consumed: use
// detect_encoding_of on a sample instead).
TextEncoding detect_encoding(std::istream& in);
// The same on bytes in memory (at_end: the bytes are the whole file, so a UTF-8 sequence cut at
// the end is invalid rather than cut by the sample).
TextEncoding detect_encoding_of(std::string_view bytes, bool at_end = true);

// Reads a stream of bytes in `encoding` as UTF-8 (a byte-order mark dropped). The source
// streambuf is not owned.
class DecodingStreambuf : public std::streambuf {
 public:
  DecodingStreambuf(std::streambuf* source, const std::string& encoding);
  // Bytes taken from the source so far (for progress).
  uint64_t source_bytes() const { return consumed_; }

 protected:
  int_type underflow() override;

 private:
  std::streambuf* src_;
  enum class Kind { Utf8, SingleByte, Utf16LE, Utf16BE } kind_;
  const std::vector<std::string>* table_ = nullptr;  // single-byte: the UTF-8 of each byte
  std::vector<char> in_, out_;
  std::string carry_;        // UTF-16: an odd byte or a high surrogate left from the last chunk
  bool started_ = false;
  uint64_t consumed_ = 0;
};

// A stream of `encoding` bytes as a UTF-8 std::istream (holds the DecodingStreambuf).
class DecodedStream : public std::istream {
 public:
  DecodedStream(std::streambuf* source, const std::string& encoding) : std::istream(nullptr), buf_(source, encoding) {
    rdbuf(&buf_);
  }
  uint64_t source_bytes() const { return buf_.source_bytes(); }

 private:
  DecodingStreambuf buf_;
};

// UTF-8 text in `encoding` (for the reject file written back in the file's own encoding): a
// character the encoding lacks becomes '?', the narrow no-break space of French numbers a
// no-break space. bom: start with the encoding's byte-order mark (UTF-8, UTF-16).
std::string encode_text(std::string_view utf8, const std::string& encoding);
std::string byte_order_mark(const std::string& encoding);

}  // namespace gz::io
