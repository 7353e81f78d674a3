"""Optional integrations with third-party packages. Each subpackage imports its package only when
it is used: ``import profiler`` never imports them."""
