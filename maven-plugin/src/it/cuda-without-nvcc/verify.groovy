def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] attnc: no CUDA fatbins: ') : log
assert log.contains('no/such/nvcc') : log
def cuda = new File(basedir, 'target/classes/dev/attnc/generated/cuda')
assert new File(cuda, 'gpu_local.cu').text.contains('extern "C" __global__ void __launch_bounds__(attnc::Shape<32, false>::THREADS, attnc::Shape<32, false>::MIN_BLOCKS)')
assert new File(cuda, 'attnc_softmax.cuh').isFile()
assert new File(cuda, 'attnc_mma.cuh').isFile()
assert !new File(cuda, 'gpu_local.fatbin').exists()
assert new File(basedir, 'target/classes/dev/attnc/generated/GpuLocalKernel.class').isFile() : 'Java still built'
assert log.contains('BUILD SUCCESS')
return true
