"""Brief analysis: two engines (rules, llm) behind one interface, and the code that decides."""
