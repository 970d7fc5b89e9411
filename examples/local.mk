# examples: sample configurations and the demo (shipped by dist-hook).

# The two houses' sample files, where a packaged daemon's examples go.
exampledir = $(docdir)/examples
dist_example_DATA = examples/home.conf examples/jikka.conf
