def cuda = new File(basedir, 'target/classes/dev/attnc/generated/cuda')
assert new File(cuda, 'gpu_local.fatbin').length() > 1000
def report = new File(cuda, 'gpu_local.ptxas.txt').text
['gpu_local_f32', 'gpu_local_f16', 'gpu_local_bf16'].each { entry ->
    def line = report.readLines().find { it.startsWith(entry + ' ') && it.contains('sm_80') }
    assert line != null : report
    def f = line.trim().split(/\s+/)
    assert f[-1] == '0' && f[-2] == '0' : "spills: " + line
}
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] attnc: nvcc ') : log
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
return true
