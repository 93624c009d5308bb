// One fault at a time: the tests kill and stop processes and measure recovery, which parallel runs would blur.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
