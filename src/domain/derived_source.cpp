#include "domain/derived_source.h"

#include <algorithm>
#include <vector>

#include "core/text.h"

namespace gz::domain {

namespace {

class DerivedSource : public RowSource {
 public:
  DerivedSource(std::unique_ptr<RowSource> inner, ColumnDerivation d, std::set<std::string> keep,
                std::function<void(const ImportError&)> on_warning, int64_t warned_through)
      : inner_(std::move(inner)), d_(std::move(d)), keep_(std::move(keep)), on_warning_(std::move(on_warning)),
        warned_through_(warned_through) {}

  bool read_header(std::vector<std::string>& names) override {
    std::vector<std::string> raw;
    if (!inner_->read_header(raw)) return false;
    names = d_.bind(raw, keep_);
    return true;
  }
  bool next(io::CsvRow& row) override {
    if (!inner_->next(raw_)) return false;  // a malformed row throws as the file's own reader does
    warnings_.clear();
    d_.apply(raw_.line, raw_.fields, row.fields, warnings_);
    row.line = raw_.line;
    if (raw_.line > warned_through_) {
      if (on_warning_)
        for (const auto& w : warnings_) on_warning_(w);
      warned_through_ = raw_.line;
    }
    return true;
  }
  uint64_t bytes_read() override { return inner_->bytes_read(); }
  uint64_t total_bytes() override { return inner_->total_bytes(); }
  bool rewind() override { return inner_->rewind(); }
  std::optional<io::TextEncoding> text_encoding() const override { return inner_->text_encoding(); }
  char separator() const override { return inner_->separator(); }

 private:
  std::unique_ptr<RowSource> inner_;
  ColumnDerivation d_;
  std::set<std::string> keep_;
  std::function<void(const ImportError&)> on_warning_;
  int64_t warned_through_;
  io::CsvRow raw_;
  std::vector<ImportError> warnings_;
};

}  // namespace

std::unique_ptr<RowSource> derived_source(std::unique_ptr<RowSource> inner, ColumnDerivation derivation,
                                          std::set<std::string> keep,
                                          std::function<void(const ImportError&)> on_warning,
                                          int64_t warned_through) {
  return std::make_unique<DerivedSource>(std::move(inner), std::move(derivation), std::move(keep),
                                         std::move(on_warning), warned_through);
}

std::set<std::string> mapped_columns(const ImportOptions& o) {
  std::set<std::string> keep;
  for (const auto& [col, field] : o.map) keep.insert(text::trim(col));
  return keep;
}

}  // namespace gz::domain
