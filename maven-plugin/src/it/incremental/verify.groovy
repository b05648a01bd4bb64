def pkg = new File(basedir, 'target/generated-sources/attnc/dev/attnc/generated')
def marker = new File(basedir, 'target/second-build-started')
assert marker.isFile()
def aa = new File(pkg, 'AaKernel.java')
assert aa.isFile()
// The second build regenerated nothing: the output is older than the marker made before it.
assert aa.lastModified() < marker.lastModified() : "AaKernel.java rewritten by the second build"
// The third build removed what only b.attn produced, and kept the rest.
assert !new File(pkg, 'BbKernel.java').exists() : 'outputs of a removed spec remain'
assert new File(basedir, 'target/classes/META-INF/services/dev.attnc.runtime.AttentionKernel').text == 'dev.attnc.generated.AaKernel\n'
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] attnc: 2 spec(s) up to date, nothing to generate') : log
assert log.contains('[INFO] attnc: 1 spec(s): 1 file(s) written, 1 unchanged, 1 stale removed') : log
return true
