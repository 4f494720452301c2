package clienttest

import (
	"net/http"
	"strings"
	"testing"
	"unicode"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/apierror"
)

// Decode is a cloud's DecodeError.
type Decode func(operation string, status int, header http.Header, body []byte) *apierror.APIError

// DecodeCase is an error answer and the API error a cloud's DecodeError
// makes of it, with its text when Text is set.
type DecodeCase struct {
	Name   string
	Status int
	Header http.Header
	Body   string
	Want   apierror.APIError
	Text   string
}

// CheckDecode runs the cases through decode for operation.
func CheckDecode(t *testing.T, decode Decode, operation string, cases []DecodeCase) {
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			got := decode(operation, tc.Status, tc.Header, []byte(tc.Body))
			if *got != tc.Want {
				t.Errorf("got  %+v\nwant %+v", *got, tc.Want)
			}
			if tc.Text != "" && got.Error() != tc.Text {
				t.Errorf("Error() = %q\n     want %q", got.Error(), tc.Text)
			}
		})
	}
}

// FuzzDecode holds decode, on any status, one header and any body, to
// an API error of that status and operation whose text starts with them,
// whose code and message hold no control character and whose message is
// cut to apierror.ErrorFieldMaxBytes; also calls each of also with the
// same answer (which must not panic).
func FuzzDecode(f *testing.F, decode Decode, also ...func(status int, header http.Header, body []byte)) {
	f.Fuzz(func(t *testing.T, status int, hk, hv string, body []byte) {
		h := http.Header{}
		if hk != "" {
			h[hk] = []string{hv}
		}
		e := decode("Op", status, h, body)
		if e == nil || e.Status != status || e.Operation != "Op" {
			t.Fatalf("DecodeError = %+v", e)
		}
		msg := e.Error()
		if !strings.HasPrefix(msg, "Op: HTTP ") {
			t.Fatalf("Error() = %q", msg)
		}
		for _, r := range msg {
			if unicode.IsControl(r) {
				t.Fatalf("control character %q in %q", r, msg)
			}
		}
		if len(e.Message) > apierror.ErrorFieldMaxBytes+3 {
			t.Fatalf("message of %d bytes", len(e.Message))
		}
		for _, f := range also {
			f(status, h, body)
		}
	})
}
