from webcare_tui.cli import main

raise SystemExit(main())
