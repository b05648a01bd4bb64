// A project that compiles the generated kernels without --add-modules jdk.incubator.vector:
// the plugin says what to add before javac fails with its wall of "not visible" errors.
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] attnc: the generated kernels use the incubating Vector API, and maven-compiler-plugin is not given the module: add <compilerArgs><arg>--add-modules</arg><arg>jdk.incubator.vector</arg></compilerArgs>') : log
assert log.contains('package jdk.incubator.vector is not visible') : 'javac fails as the warning says'
return true
