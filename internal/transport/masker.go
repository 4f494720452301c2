package transport

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The masker: what Client.Mask and every log line of the transport hide,
// whatever form a server sends a secret back in.
//
// A secret is masked wherever it appears whole, and so is every run of
// SecretRun or more of its bytes: a server that cuts an echoed token, or
// quotes part of it, still shows nothing of it longer than SecretRun-1
// bytes. Each secret is held as its windows: every substring of SecretRun
// bytes (the secret itself when it is shorter); a text position where a
// window starts is the start of a masked run, and overlapping or adjacent
// runs are masked as one.
//
// The text is searched as it is, and once more after each of up to
// maskLayers rounds of decoding, so that a secret sent back escaped is
// found too, however the escapes are mixed or nested:
//
//   - URL percent-encoding (%2F, %2f), and '+' for a space;
//   - JSON string escapes (\/, \", \\, \n, \u002B, surrogate pairs) and
//     \xHH;
//   - HTML character references, numeric (&#43;, &#x2F;, without the
//     final ';' too) and named (&amp;, &sol;, &plus;, ...; with ';').
//
// Every decoded byte remembers the span of the original text it came from,
// so a run found in decoded text masks the original span, escapes and all.
// A text is masked before anything cuts it to a length (apierror.Sanitize): a cut
// could otherwise leave a secret's escaped form incomplete and no longer
// recognisable.

// SecretRun is the length of the runs of a secret that are masked wherever
// they appear (bytes; secrets are ASCII in practice).
const SecretRun = 16

const (
	// maskLayers is how many rounds of decoding a text gets: three
	// unwrap a secret escaped in one form inside another inside a third
	// (an HTML reference in a JSON string in a URL).
	maskLayers = 3
	// maskChunk is the piece of a long text searched at once (the
	// decoded copies of a piece cost 9 bytes per byte each), and
	// maskOverlap how far each piece reaches into the next, so that a
	// run is not missed at a boundary: a run of SecretRun bytes escaped
	// three times over is a few hundred bytes; only one padded past
	// 2,000 bytes per character (&#0000...65;) and lying across a
	// boundary would be.
	maskChunk   = 64 << 10
	maskOverlap = 32 << 10
	// maxEntityName bounds a named HTML character reference (&quot; ...;
	// the longest of HTML's names has 32 letters).
	maxEntityName = 32
)

// matcher holds the windows of every secret. It is immutable: adding a
// secret builds a new one (secretSet.add).
type matcher struct {
	// sizes hold the windows by length, longest first: SecretRun for
	// secrets at least that long, a secret's own length for shorter ones.
	sizes []*windowSet
}

// windowSet is the windows of one length: the set, and a bitmap of their
// rolling hashes that rules out nearly every other text position with a
// multiplication, an addition and a bit test.
type windowSet struct {
	n      int
	set    map[string]struct{}
	bits   []uint64 // 1<<hashBits bits
	topPow uint64   // hashBase^(n-1), to roll the first byte out
}

const (
	hashBase = 0x100000001b3 // the 64-bit FNV prime: odd, its bits spread
	hashBits = 20
)

// with returns a matcher holding m's windows and those of secret.
func (m *matcher) with(secret string) *matcher {
	s := []byte(secret)
	for i, c := range s {
		s[i] = canon(c)
	}
	n := min(len(s), SecretRun)
	out := &matcher{}
	var old *windowSet
	if m != nil {
		for _, w := range m.sizes {
			if w.n == n {
				old = w
				continue
			}
			out.sizes = append(out.sizes, w) // shared: never written once built
		}
	}
	w := &windowSet{n: n, set: map[string]struct{}{}, bits: make([]uint64, 1<<hashBits/64), topPow: 1}
	for range n - 1 {
		w.topPow *= hashBase
	}
	if old != nil {
		for k := range old.set {
			w.add(k)
		}
	}
	for i := 0; i+n <= len(s); i++ {
		w.add(string(s[i : i+n]))
	}
	out.sizes = append(out.sizes, w)
	slices.SortFunc(out.sizes, func(a, b *windowSet) int { return b.n - a.n })
	return out
}

func (w *windowSet) add(window string) {
	w.set[window] = struct{}{}
	h := hashOf([]byte(window))
	w.bits[h>>(64-hashBits)/64] |= 1 << (h >> (64 - hashBits) % 64)
}

// canon is the byte a text's byte is compared as: a space as '+', so that
// a secret holding a space matches its form-encoded copy.
func canon(c byte) byte {
	if c == ' ' {
		return '+'
	}
	return c
}

// hashOf is the rolling hash of a window, canonical bytes.
func hashOf(b []byte) uint64 {
	var h uint64
	for _, c := range b {
		h = h*hashBase + uint64(canon(c))
	}
	return h
}

// span is a part of the original text: [start, end).
type span struct{ start, end int }

// mask returns text with every run of a secret (see above) replaced by
// Masked.
func (m *matcher) mask(text string) string {
	if m == nil || len(m.sizes) == 0 || text == "" {
		return text
	}
	var spans []span
	sc := scratchPool.Get().(*scratch) //nolint:forcetypeassert // the pool holds nothing else
	defer scratchPool.Put(sc)
	for lo := 0; lo < len(text); lo += maskChunk {
		hi := min(len(text), lo+maskChunk+maskOverlap)
		spans = m.find(sc, text[lo:hi], lo, spans)
		if hi == len(text) {
			break
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	for i := 0; i < len(spans); {
		s := spans[i]
		for i++; i < len(spans) && spans[i].start <= s.end; i++ {
			s.end = max(s.end, spans[i].end)
		}
		b.WriteString(text[at:s.start])
		b.WriteString(Masked)
		at = s.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// scratch is the memory of one masking: the decoded layers by depth,
// reused by every piece and every kind of escape.
type scratch struct {
	layers [maskLayers + 1]layer
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// find appends the spans of the runs found in piece (which starts at
// offset in the original text), searched as it is and decoded.
func (m *matcher) find(sc *scratch, piece string, offset int, spans []span) []span {
	root := &sc.layers[0]
	root.b = append(root.b[:0], piece...)
	root.units, root.parent = root.units[:0], nil
	for _, w := range m.sizes {
		spans = w.scan(root, 0, len(root.b)-w.n, offset, spans)
	}
	if !strings.ContainsAny(piece, "%\\&") {
		return spans
	}
	return m.descend(sc, 0, offset, spans)
}

// descend decodes the layer at depth with each kind of escape it holds,
// searches what changed and goes on decoding, maskLayers rounds in all:
// every order in which a reader could decode the escapes is searched.
func (m *matcher) descend(sc *scratch, depth, offset int, spans []span) []span {
	if depth == maskLayers {
		return spans
	}
	l, child := &sc.layers[depth], &sc.layers[depth+1]
	for _, k := range escapeKinds {
		if bytes.IndexByte(l.b, k.trigger) < 0 || !l.decode(k, child) {
			continue
		}
		// A window without a decoded byte is one of l's, searched already.
		// Windows around decoded bytes close together are searched as one
		// stretch.
		for _, w := range m.sizes {
			lo, hi := 0, -1
			for _, u := range child.units {
				ulo, uhi := max(int(u.cs)-w.n+1, 0), min(int(u.ce)-1, len(child.b)-w.n)
				if ulo > hi+1 {
					spans = w.scan(child, lo, hi, offset, spans)
					lo = ulo
				}
				hi = max(hi, uhi)
			}
			spans = w.scan(child, lo, hi, offset, spans)
		}
		spans = m.descend(sc, depth+1, offset, spans)
	}
	return spans
}

// scan appends the original spans of the windows found in l at positions
// lo to hi.
func (w *windowSet) scan(l *layer, lo, hi, offset int, spans []span) []span {
	if lo > hi {
		return spans
	}
	b, n := l.b, w.n
	h := hashOf(b[lo : lo+n])
	var key [SecretRun]byte
	for p := lo; ; p++ {
		if top := h >> (64 - hashBits); w.bits[top/64]&(1<<(top%64)) != 0 {
			for i := range n {
				key[i] = canon(b[p+i])
			}
			if _, ok := w.set[string(key[:n])]; ok {
				s := span{l.origStart(p) + offset, l.origEnd(p+n-1) + offset}
				if k := len(spans) - 1; k >= 0 && spans[k].end >= s.start && spans[k].start <= s.start {
					spans[k].end = max(spans[k].end, s.end) // overlapping the last: one run
				} else {
					spans = append(spans, s)
				}
			}
		}
		if p == hi {
			return spans
		}
		h = (h-uint64(canon(b[p]))*w.topPow)*hashBase + uint64(canon(b[p+n]))
	}
}

// layer is a text, decoded or not: its bytes and, for a decoded one, its
// parent (the text it was decoded from) and its decoded escapes, in
// order; a byte outside them is its parent's byte as it was.
type layer struct {
	b      []byte
	parent *layer
	units  []unit
}

// unit is a decoded escape: its value at [cs, ce) in the layer, from the
// escape at [ps, pe) in the parent.
type unit struct{ cs, ce, ps, pe int32 }

// origStart and origEnd give the span of the original text that the
// layer's byte i came from.
func (l *layer) origStart(i int) int {
	for ; l.parent != nil; l = l.parent {
		i = l.toParent(i, false)
	}
	return i
}

func (l *layer) origEnd(i int) int {
	for ; l.parent != nil; l = l.parent {
		i = l.toParent(i, true)
	}
	return i + 1
}

// toParent returns the position in the parent of the layer's byte i: for
// a byte of a decoded value, the escape's first byte, or its last when
// last is set.
func (l *layer) toParent(i int, last bool) int {
	k, _ := slices.BinarySearchFunc(l.units, i, func(u unit, i int) int {
		if int(u.ce) <= i {
			return -1
		}
		if int(u.cs) > i {
			return 1
		}
		return 0
	})
	if k < len(l.units) && int(l.units[k].cs) <= i {
		if last {
			return int(l.units[k].pe) - 1
		}
		return int(l.units[k].ps)
	}
	if k == 0 {
		return i
	}
	u := l.units[k-1]
	return i - int(u.ce) + int(u.pe)
}

// escapeKind is one kind of escape: the byte every one of them starts
// with, and its decoder: it decodes the escape at the start of b,
// appending its value to buf, and returns the value and the escape's
// length, 0 when b does not start with one.
type escapeKind struct {
	trigger  byte
	unescape func(b, buf []byte) ([]byte, int)
}

// escapeKinds are decoded one kind at a time, as a reader decodes a text
// of one format: decoding all at once would read a literal "%41" next to
// a JSON escape as an escape too, and miss the secret holding it.
var escapeKinds = []escapeKind{
	{'%', unescapePercent},
	{'\\', unescapeJSON},
	{'&', unescapeHTML},
}

// decode writes into out the layer l with the escapes of kind k decoded,
// and reports whether there was one.
func (l *layer) decode(k escapeKind, out *layer) bool {
	b := l.b
	out.b, out.units, out.parent = out.b[:0], out.units[:0], l
	var buf [4 * utf8.UTFMax]byte
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], k.trigger)
		if j < 0 {
			out.b = append(out.b, b[i:]...)
			break
		}
		out.b = append(out.b, b[i:i+j]...)
		i += j
		val, n := k.unescape(b[i:], buf[:0])
		if n == 0 {
			out.b = append(out.b, b[i])
			i++
			continue
		}
		//nolint:gosec // pieces are far below 2 GiB
		out.units = append(out.units, unit{cs: int32(len(out.b)), ce: int32(len(out.b) + len(val)), ps: int32(i), pe: int32(i + n)})
		out.b = append(out.b, val...)
		i += n
	}
	return len(out.units) > 0
}

// unescapePercent decodes %XX (URL percent-encoding).
func unescapePercent(b, buf []byte) ([]byte, int) {
	if len(b) >= 3 && b[0] == '%' && isHex(b[1]) && isHex(b[2]) {
		return append(buf, unhex(b[1])<<4|unhex(b[2])), 3
	}
	return nil, 0
}

// unescapeJSON decodes a JSON string escape (RFC 8259 section 7): \" \\ \/
// \b \f \n \r \t and \uXXXX, a surrogate pair as one character.
func unescapeJSON(b, buf []byte) ([]byte, int) {
	if len(b) < 2 || b[0] != '\\' {
		return nil, 0
	}
	switch c := b[1]; c {
	case 'u':
		if r, n := jsonRune(b); n > 0 {
			return utf8.AppendRune(buf, r), n
		}
	case '"', '\\', '/':
		return append(buf, c), 2
	case 'b':
		return append(buf, '\b'), 2
	case 'f':
		return append(buf, '\f'), 2
	case 'n':
		return append(buf, '\n'), 2
	case 'r':
		return append(buf, '\r'), 2
	case 't':
		return append(buf, '\t'), 2
	}
	return nil, 0
}

// unescapeHTML decodes an HTML character reference.
func unescapeHTML(b, buf []byte) ([]byte, int) {
	if len(b) < 3 || b[0] != '&' {
		return nil, 0
	}
	if b[1] == '#' {
		return numericReference(b, buf)
	}
	return namedReference(b, buf)
}

// jsonRune decodes \uXXXX at the start of b, with the low surrogate that
// follows a high one (\uD83D\uDE00), and returns the rune and the length.
func jsonRune(b []byte) (rune, int) {
	r, ok := hex4(b)
	if !ok {
		return 0, 0
	}
	if 0xD800 <= r && r < 0xDC00 {
		if lo, ok := hex4(b[6:]); ok && 0xDC00 <= lo && lo < 0xE000 {
			return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12
		}
	}
	if 0xD800 <= r && r < 0xE000 {
		return 0, 0 // a lone surrogate is no character
	}
	return r, 6
}

// hex4 reads "\uXXXX" at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		if !isHex(c) {
			return 0, false
		}
		r = r<<4 | rune(unhex(c))
	}
	return r, true
}

// numericReference decodes &#NNN; or &#xHH; at the start of b, the ';'
// optional and the digits as many as there are, as HTML parsers read them
// (the value is html.UnescapeString's: U+FFFD for a code point out of
// range, the Windows-1252 characters for 0x80 to 0x9F).
func numericReference(b, buf []byte) ([]byte, int) {
	i, hex := 2, false
	if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
		i, hex = 3, true
	}
	digits := i
	for i < len(b) && ('0' <= b[i] && b[i] <= '9' || hex && isHex(b[i])) {
		i++
	}
	if i == digits {
		return nil, 0
	}
	if i < len(b) && b[i] == ';' {
		i++
	}
	return append(buf, html.UnescapeString(string(b[:i]))...), i
}

// namedReference decodes a named character reference (&amp;, &sol;, ...)
// at the start of b, through html.UnescapeString: with its ';', or
// without one for the names HTML parsers also take bare (&amp, &lt,
// &copy, ...), the longest such name first, as they do.
func namedReference(b, buf []byte) ([]byte, int) {
	i := 1
	for i < len(b) && i <= maxEntityName && isAlnum(b[i]) {
		i++
	}
	if i == 1 {
		return nil, 0
	}
	if i < len(b) && b[i] == ';' {
		ref := string(b[:i+1])
		if v := html.UnescapeString(ref); v != ref {
			return append(buf, v...), i + 1
		}
	}
	for k := i; k > 2; k-- {
		// The bare name is b[:k] when it decodes, and not only because a
		// shorter name does (its last letter left as it is).
		ref := string(b[:k])
		v := html.UnescapeString(ref)
		if v == ref || v == html.UnescapeString(ref[:k-1])+ref[k-1:] {
			continue
		}
		return append(buf, v...), k
	}
	return nil, 0
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
