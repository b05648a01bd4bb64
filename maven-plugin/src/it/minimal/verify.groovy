def gen = new File(basedir, 'target/generated-sources/attnc/dev/attnc/generated/LocalKernel.java')
assert gen.isFile() : "no generated source"
assert gen.text.contains('public final class LocalKernel extends SparseAttentionKernel')
assert gen.text.contains('window 2')   // the spec, in the class's Javadoc
def svc = new File(basedir, 'target/classes/META-INF/services/dev.attnc.runtime.AttentionKernel')
assert svc.text == 'dev.attnc.generated.LocalKernel\n'
assert new File(basedir, 'target/classes/dev/attnc/generated/LocalKernel.class').isFile()
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] attnc: 1 spec(s): 2 file(s) written, 0 unchanged, 0 stale removed')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
return true
