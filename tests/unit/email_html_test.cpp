// The e-mail module's HTML layer (modules/email/html_sanitize.h): the OWASP XSS filter evasion
// cheat sheet's vectors come out harmless, tracking pixels are removed and counted, cid: images
// are rewritten, links made safe, text stays escaped, deep nesting neither crashes nor hangs; and
// HTML read as plain text.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>

#include "modules/email/html_sanitize.h"
#include "core/utf8.h"

using namespace gz::modules::email;
namespace utf8 = gz::utf8;

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

// The five entities the sanitiser writes, decoded (and any numeric one, to be safe).
std::string decode_entities(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string e = s.substr(i + 1, semi - i - 1);
    if (e == "amp") out += '&';
    else if (e == "lt") out += '<';
    else if (e == "gt") out += '>';
    else if (e == "quot") out += '"';
    else if (e.size() > 1 && e[0] == '#') {
      long cp = e[1] == 'x' || e[1] == 'X' ? std::strtol(e.c_str() + 2, nullptr, 16) : std::strtol(e.c_str() + 1, nullptr, 10);
      utf8::append_utf8(out, uint32_t(cp > 0 && cp < 0x110000 ? cp : 0xFFFD));
    } else {
      out += s.substr(i, semi - i + 1);
      continue;
    }
    i = semi;
  }
  return out;
}

// The tags of the output (text cannot hold a '<': the sanitiser escapes it).
std::vector<std::string> tags_of(const std::string& html) {
  std::vector<std::string> tags;
  for (size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
    size_t end = html.find('>', i);
    tags.push_back(lower(html.substr(i, end == std::string::npos ? std::string::npos : end - i + 1)));
  }
  return tags;
}

void expect_harmless(const std::string& input, const std::string& html) {
  std::string l = lower(decode_entities(html));
  EXPECT_EQ(l.find("<script"), std::string::npos) << input << "\n=> " << html;
  EXPECT_EQ(l.find("javascript:"), std::string::npos) << input << "\n=> " << html;
  EXPECT_EQ(l.find("vbscript:"), std::string::npos) << input << "\n=> " << html;
  EXPECT_TRUE(utf8::valid(html)) << input;
  for (const std::string& tag : tags_of(html)) {
    for (const char* banned : {"<iframe", "<object", "<embed", "<meta", "<base", "<style", "<link", "<svg", "<frame",
                               "<form", "<input", "<body", "<math", "<xss", "<bgsound"})
      EXPECT_NE(tag.rfind(banned, 0), 0u) << input << "\n=> " << html;
    for (const char* attribute : {" style=", " class=", " id=", " background=", " dynsrc=", " lowsrc=", " data="})
      EXPECT_EQ(tag.find(attribute), std::string::npos) << input << "\n=> " << html;
    // no on…= attribute: every attribute name is checked
    for (size_t p = tag.find(' '); p != std::string::npos; p = tag.find(' ', p + 1)) {
      if (tag.compare(p + 1, 2, "on") == 0) {
        size_t eq = tag.find('=', p);
        size_t quote = tag.find('"', p);
        EXPECT_FALSE(eq != std::string::npos && (quote == std::string::npos || eq < quote))
            << "on* attribute in " << input << "\n=> " << html;
      }
    }
    // an image only from our own URL, a link only to http(s) or mailto
    if (tag.rfind("<img", 0) == 0) {
      EXPECT_NE(tag.find("src=\"/api/"), std::string::npos) << input << "\n=> " << html;
    }
    if (size_t href = tag.find(" href=\""); href != std::string::npos) {
      std::string url = tag.substr(href + 7);
      EXPECT_TRUE(url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("mailto:", 0) == 0)
          << input << "\n=> " << html;
    }
  }
}

std::optional<std::string> our_url(std::string_view cid) { return "/api/v1/email/inline/" + std::string(cid); }

// The OWASP XSS Filter Evasion Cheat Sheet (cheatsheetseries.owasp.org), and a few more.
const char* const kVectors[] = {
    "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116"
    "&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;"
    "&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058"
    "&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53"
    "&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<SCRIPT/SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<IMG SRC=\"javascript:alert('XSS')\"",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css>; REL=stylesheet\">",
    "<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss\")}</STYLE>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
    "<STYLE type=\"text/css\">BODY{background:url(\"javascript:alert('XSS')\")}</STYLE>",
    "<XSS STYLE=\"behavior: url(xss.htc);\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0; URL=http://;URL=javascript:alert('XSS');\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070"
    "\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029\">",
    "<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDov"
    "L3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9I"
    "jAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh "
    "TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<SCRIPT a=\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
    "<SCRIPT =\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
    "<SCRIPT>document.write(\"<SCRI\");</SCRIPT>PT SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
    "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
    "<HEAD><META HTTP-EQUIV=\"CONTENT-TYPE\" CONTENT=\"text/html; charset=UTF-7\"> </HEAD>+ADw-SCRIPT+AD4-alert('XSS');"
    "+ADw-/SCRIPT+AD4-",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('XSS')\"></B></I></XML>",
    "<a href=\"  javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
    "<a href=\"&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"\x01javascript:alert(1)\">x</a>",
    "<a href=\"java&NewLine;script&colon;alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<details open ontoggle=alert(1)>x</details>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p onclick=\"alert(1)\" class=\"x\" id=\"y\">x</p>",
    "<img src=\"cid:logo\" onerror=\"alert(1)\" style=\"x:expression(alert(1))\">",
    "<a href=\"https://example.fr/\" onclick=\"alert(1)\" style=\"color:red\">ok</a>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<svg><script>alert(1)</script></svg>",
    "<table><tr><td>a<script>alert(1)</script></td></tr></table>",
    "<img src=\"x\" alt=\"\" onerror=\"alert(1)\"/>",
    "<object data=\"javascript:alert(1)\"><embed src=\"javascript:alert(1)\"></object>",
    "<video><source onerror=\"alert(1)\"></video>",
};

}  // namespace

TEST(EmailHtml, CheatSheetVectorsComeOutHarmless) {
  EXPECT_GE(std::size(kVectors), 40u);
  for (const char* v : kVectors) expect_harmless(v, sanitize_html(v, our_url).html);
  // Null bytes inside the vectors.
  for (std::string v : {std::string("<IMG SRC=java\0script:alert(\"XSS\")>", 36),
                        std::string("<a href=\"java\0script:alert(1)\">x</a>", 36),
                        std::string("<scr\0ipt>alert(1)</script>", 26), std::string("<a on\0click=alert(1)>x</a>", 26)}) {
    std::string out = sanitize_html(v, our_url).html;
    expect_harmless(v, out);
    EXPECT_EQ(out.find('\0'), std::string::npos);
  }
}

TEST(EmailHtml, TrackingPixelsAreRemovedAndCounted) {
  auto s = sanitize_html("<p>Bonjour</p><img src=\"https://t.example/p.gif\" width=1 height=1>"
                         "<IMG SRC='http://t.example/o.png?u=42'><img src=\"//t.example/x\">",
                         our_url);
  EXPECT_EQ(s.html, "<p>Bonjour</p>");
  EXPECT_EQ(s.remote_images_blocked, 3);
}

TEST(EmailHtml, CidImagesAreRewritten) {
  auto s = sanitize_html("<img src=\"cid:logo@example.fr\" alt=\"Logo &amp; co\" width=\"120\" onload=\"x()\">", our_url);
  EXPECT_EQ(s.html, "<img src=\"/api/v1/email/inline/logo@example.fr\" alt=\"Logo &amp; co\" width=\"120\">");
  EXPECT_EQ(s.remote_images_blocked, 0);
  // Percent-encoded, and one we do not have: dropped.
  auto t = sanitize_html("<img src=\"CID:part1%40example.fr\"><img src=\"cid:unknown\">",
                         [](std::string_view cid) -> std::optional<std::string> {
                           if (cid == "part1@example.fr") return "/i/1";
                           return std::nullopt;
                         });
  EXPECT_EQ(t.html, "<img src=\"/i/1\">");
}

TEST(EmailHtml, LinksAreMadeSafe) {
  auto s = sanitize_html("<a href=\" https://example.fr/a?b=1&amp;c=2 \" title=\"T\">lien</a> "
                         "<a href=\"MAILTO:anne@example.fr\">Anne</a> <a href=\"/relative\">rel</a> "
                         "<a href=\"ftp://x\">ftp</a>",
                         our_url);
  EXPECT_EQ(s.html,
            "<a href=\"https://example.fr/a?b=1&amp;c=2\" title=\"T\" rel=\"noopener noreferrer nofollow\" "
            "target=\"_blank\">lien</a> <a href=\"MAILTO:anne@example.fr\" rel=\"noopener noreferrer nofollow\" "
            "target=\"_blank\">Anne</a> <a>rel</a> <a>ftp</a>");
  // A target or rel given by the sender is not kept.
  auto t = sanitize_html("<a href=\"https://x.fr\" target=\"_self\" rel=\"opener\">x</a>", our_url);
  EXPECT_EQ(t.html, "<a href=\"https://x.fr\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">x</a>");
}

TEST(EmailHtml, TextStaysEscaped) {
  auto s = sanitize_html("<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;ok&quot; &eacute;t&eacute; &#8364; <b>gras</b></p>"
                         "<p title='a\"b&lt;c'>x</p>a < b & c",
                         our_url);
  EXPECT_EQ(s.html,
            "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 \"ok\" \u00e9t\u00e9 \u20ac <b>gras</b></p>"
            "<p title=\"a&quot;b&lt;c\">x</p>a &lt; b &amp; c");
  // Unknown elements are unwrapped, their text kept; comments dropped.
  EXPECT_EQ(sanitize_html("<custom-tag>in</custom-tag><x-y>x</x-y><!-- c -->", our_url).html, "inx");
  // Invalid UTF-8 comes out valid.
  auto bad = sanitize_html("<p>caf\xe9 \xff</p>", our_url);
  EXPECT_TRUE(utf8::valid(bad.html));
  EXPECT_EQ(sanitize_html("", our_url).html, "");
}

TEST(EmailHtml, DeepNestingNeitherCrashesNorHangs) {
  for (const char* tag : {"div", "b", "blockquote", "table", "custom"}) {
    std::string html;
    for (int i = 0; i < 10000; ++i) html += std::string("<") + tag + ">";
    html += "au fond";
    for (int i = 0; i < 10000; ++i) html += std::string("</") + tag + ">";
    auto start = std::chrono::steady_clock::now();
    auto s = sanitize_html(html, our_url);
    std::string text = html_to_text(html);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 5.0) << tag;
    // libxml2 stops reading at its depth limit (256): what lies deeper is not shown.
    EXPECT_LT(s.html.size(), 10000u) << tag;
    EXPECT_TRUE(utf8::valid(s.html));
    std::cout << tag << ": " << s.html.size() << " bytes, text " << text.size() << "\n";
    // Balanced: as many closing tags as opening ones.
    size_t open = 0, close = 0;
    for (size_t i = 0; i < s.html.size(); ++i)
      if (s.html[i] == '<') (s.html[i + 1] == '/' ? close : open)++;
    EXPECT_EQ(open, close) << tag;
  }
  // 250 levels, within libxml2's limit but beyond the sanitiser's own (200): the deepest text is
  // kept, without its elements.
  std::string nested;
  for (int i = 0; i < 250; ++i) nested += "<div>";
  nested += "<b>au fond</b><script>x</script>";
  auto deep = sanitize_html(nested, our_url);
  EXPECT_NE(deep.html.find("au fond"), std::string::npos);
  EXPECT_EQ(deep.html.find("<b>"), std::string::npos);
  EXPECT_EQ(deep.html.find("x"), std::string::npos);
  EXPECT_NE(html_to_text(nested).find("au fond"), std::string::npos);
  // Unclosed, many.
  std::string unclosed;
  for (int i = 0; i < 10000; ++i) unclosed += "<div><span><p>x";
  EXPECT_NO_THROW(sanitize_html(unclosed, our_url));
}

TEST(EmailHtml, HtmlAsText) {
  EXPECT_EQ(html_to_text("<html><head><title>T</title><style>p{}</style></head><body>"
                         "<h1>Devis</h1><p>Bonjour&nbsp;Anne,<br>voici   le\n devis &amp; les <b>conditions</b>.</p>"
                         "<ul><li>un</li><li>deux</li></ul>"
                         "<p>Voir <a href=\"https://example.fr/d/42\">le devis</a> ou "
                         "<a href=\"https://example.fr/\">https://example.fr/</a>, "
                         "<a href=\"mailto:anne@example.fr\">anne@example.fr</a>.</p>"
                         "<script>alert(1)</script><table><tr><td>a</td><td>b</td></tr></table>"
                         "<pre>  code\n    indent</pre></body></html>"),
            "Devis\n\nBonjour Anne,\nvoici le devis & les conditions.\n\n- un\n- deux\n\n"
            "Voir le devis (https://example.fr/d/42) ou https://example.fr/, anne@example.fr.\n\n"
            "a\tb\n\n  code\n    indent");
  EXPECT_EQ(html_to_text(""), "");
  EXPECT_EQ(html_to_text("plain &lt;text&gt;"), "plain <text>");
}
