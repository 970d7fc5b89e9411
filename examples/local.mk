# examples: sample configurations and the demo (shipped by dist-hook).
