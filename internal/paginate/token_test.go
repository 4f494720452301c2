package paginate

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
)

// tokenAPI serves pages keyed by token and records the tokens asked for.
type tokenAPI struct {
	pages  map[string][]int
	next   map[string]string
	failAt string // token whose request fails
	tokens []string
}

func (a *tokenAPI) fetch(_ context.Context, token string) ([]int, string, error) {
	a.tokens = append(a.tokens, token)
	if a.failAt != "" && token == a.failAt {
		return nil, "", errBoom
	}
	return a.pages[token], a.next[token], nil
}

func threePages() *tokenAPI {
	return &tokenAPI{
		pages: map[string][]int{"": {0, 1, 2}, "A": {3, 4, 5}, "B": {6, 7, 8}},
		next:  map[string]string{"": "A", "A": "B"},
	}
}

func TestTokenPages(t *testing.T) {
	tests := []struct {
		name       string
		maxItems   int
		wantItems  int
		wantTokens []string
	}{
		{"all pages until the token is absent", 0, 9, []string{"", "A", "B"}},
		{"MaxItems within the first page", 2, 2, []string{""}},
		{"MaxItems at a page boundary", 3, 3, []string{""}},
		{"MaxItems in the second page", 4, 4, []string{"", "A"}},
		{"MaxItems at the second boundary", 6, 6, []string{"", "A"}},
		{"MaxItems above the total", 100, 9, []string{"", "A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := threePages()
			p := &Token[int]{MaxItems: tt.maxItems, Fetch: api.fetch}
			c := collect(p.All(t.Context()))
			if c.err != nil {
				t.Fatalf("unexpected error: %v", c.err)
			}
			if !slices.Equal(c.items, seq(tt.wantItems)) {
				t.Errorf("items = %v, want 0..%d", c.items, tt.wantItems-1)
			}
			if !slices.Equal(api.tokens, tt.wantTokens) || p.Requests() != len(tt.wantTokens) {
				t.Errorf("tokens = %q, Requests() = %d; want %q", api.tokens, p.Requests(), tt.wantTokens)
			}
		})
	}
}

func TestTokenRepeated(t *testing.T) {
	tests := []struct {
		name      string
		next      map[string]string
		wantPages int
		wantItems int
	}{
		{"A, B, A", map[string]string{"": "A", "A": "B", "B": "A"}, 3, 6},
		{"immediate repeat", map[string]string{"": "A", "A": "A"}, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := threePages()
			api.next = tt.next
			p := &Token[int]{Fetch: api.fetch}
			c := collect(p.All(t.Context()))
			if !errors.Is(c.err, ErrNotAdvancing) {
				t.Fatalf("error = %v, want ErrNotAdvancing", c.err)
			}
			want := "pagination token repeated after " + strconv.Itoa(tt.wantPages) + " pages: the API did not advance"
			if c.err.Error() != want {
				t.Errorf("error = %q, want %q", c.err, want)
			}
			if p.Requests() != tt.wantPages || !slices.Equal(c.items, seq(tt.wantItems)) || c.afterError != 0 {
				t.Errorf("requests %d, items %v, yields after error %d", p.Requests(), c.items, c.afterError)
			}
		})
	}
	t.Run("repeat not followed once MaxItems is reached", func(t *testing.T) {
		api := threePages()
		api.next = map[string]string{"": "A", "A": "A"}
		p := &Token[int]{MaxItems: 6, Fetch: api.fetch}
		c := collect(p.All(t.Context()))
		if c.err != nil || len(c.items) != 6 || p.Requests() != 2 {
			t.Errorf("items %v, error %v, requests %d; want 6 items, no error, 2 requests", c.items, c.err, p.Requests())
		}
	})
}

func TestTokenErrorWrapped(t *testing.T) {
	api := threePages()
	api.failAt = "A"
	p := &Token[int]{Fetch: api.fetch}
	c := collect(p.All(t.Context()))
	if !errors.Is(c.err, errBoom) || c.err.Error() != "reading page 2: boom" {
		t.Errorf("error = %v, want %q", c.err, "reading page 2: boom")
	}
	if !slices.Equal(c.items, seq(3)) || c.errors != 1 || c.afterError != 0 || p.Requests() != 2 {
		t.Errorf("items %v, errors %d, after %d, requests %d", c.items, c.errors, c.afterError, p.Requests())
	}
}

func TestTokenBreak(t *testing.T) {
	api := threePages()
	p := &Token[int]{Fetch: api.fetch}
	for v, err := range p.All(t.Context()) {
		if err != nil || v != 0 {
			t.Fatalf("first yield = %d, %v", v, err)
		}
		break
	}
	if p.Requests() != 1 {
		t.Errorf("requests = %d, want 1", p.Requests())
	}
}

func TestTokenContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	p := &Token[int]{Fetch: func(ctx context.Context, token string) ([]int, string, error) {
		if token == "" {
			return []int{1}, "A", nil
		}
		cancel()
		<-ctx.Done()
		return nil, "", errors.New("request aborted") // hides ctx.Err()
	}}
	c := collect(p.All(ctx))
	if !errors.Is(c.err, context.Canceled) || c.err.Error() != "reading page 2: context canceled" {
		t.Errorf("error = %v, want context.Canceled on page 2", c.err)
	}
	if len(c.items) != 1 {
		t.Errorf("items = %v, want the first page", c.items)
	}
}

func TestTokenSafetyLimit(t *testing.T) {
	p := &Token[int]{maxPages: 10, Fetch: func(_ context.Context, token string) ([]int, string, error) {
		return nil, token + "x", nil // always a new token, never an item
	}}
	c := collect(p.All(t.Context()))
	if !errors.Is(c.err, ErrSafetyLimit) || p.Requests() != 10 {
		t.Errorf("error %v, requests %d; want ErrSafetyLimit after 10", c.err, p.Requests())
	}
	api := threePages()
	p = &Token[int]{maxItems: 4, Fetch: api.fetch}
	c = collect(p.All(t.Context()))
	if !errors.Is(c.err, ErrSafetyLimit) || len(c.items) != 4 {
		t.Errorf("items %v, error %v; want 4 then ErrSafetyLimit", c.items, c.err)
	}
}

func TestTokenInvalid(t *testing.T) {
	for name, p := range map[string]*Token[int]{
		"no Fetch":          {},
		"negative MaxItems": {MaxItems: -1, Fetch: threePages().fetch},
	} {
		c := collect(p.All(t.Context()))
		if c.err == nil || p.Requests() != 0 {
			t.Errorf("%s: error %v, requests %d", name, c.err, p.Requests())
		}
	}
}
