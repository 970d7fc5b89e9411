# docs: man pages are listed by their modules; notes ship by dist-hook.
