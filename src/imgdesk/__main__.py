from imgdesk.cli import main

raise SystemExit(main())
