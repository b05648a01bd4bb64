// Runs where nvcc is (the same places the plugin looks).
def env = System.getenv()
def candidates = [env['ATTNC_NVCC'], env['CUDA_HOME'] ? env['CUDA_HOME'] + '/bin/nvcc' : null, '/usr/local/cuda/bin/nvcc']
return candidates.any { it != null && new File(it).canExecute() }
