def log = new File(basedir, 'build.log').text
// Every error of every file, exactly as attnc check prints it: location, message, the source
// line and a caret (Maven prefixes the first line with [ERROR]).
def a = "[ERROR] src/main/attn/a.attn:5:10: error[E005]: syntax error: unexpected '-' after 'window'\n" +
        "      window -3\n" +
        "             ^\n"
def b = "[ERROR] src/main/attn/b.attn:1:29: error[E011]: unknown pattern 'causl'; did you mean 'causal'?\n" +
        "    pattern typo { head_dim 16  causl }\n" +
        "                                ^~~~~\n"
assert log.contains(a) : log
assert log.contains(b) : log
assert log.contains('attnc: 2 error(s) in the specs (see above); nothing generated')
assert !log.readLines().any { it.startsWith('\tat ') || it.startsWith('Caused by') } : 'no stack trace for a spec error'
assert !new File(basedir, 'target/generated-sources/attnc').exists() : 'nothing generated'
return true
