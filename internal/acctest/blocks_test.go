package acctest

import "testing"

func TestDataSourceBlock(t *testing.T) {
	got := DataSource("opsaudit_x").Block("a b", StringArg("s", "v ${x} %{y} \"q\""), ExprArg("n", "60"), ExprArg("l", `["a"]`))
	want := "data \"opsaudit_x\" \"a b\" {\n" +
		"  s = \"v $${x} %%{y} \\\"q\\\"\"\n" +
		"  n = 60\n" +
		"  l = [\"a\"]\n" +
		"}\n"
	if got != want {
		t.Errorf("Block =\n%s\nwant\n%s", got, want)
	}
	if got := DataSource("opsaudit_x").Block("empty"); got != "data \"opsaudit_x\" \"empty\" {\n}\n" {
		t.Errorf("Block without arguments = %q", got)
	}
	if got := DataSource("opsaudit_x").Address("a"); got != "data.opsaudit_x.a" {
		t.Errorf("Address = %q", got)
	}
}
