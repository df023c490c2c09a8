print("aurora-bench")
